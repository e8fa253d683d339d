// LabelMatcher: one `name op "value"` term of a stream selector, shared by index/ (postings
// lookup) and logql/ (label filters on strings). Regexes are RE2, fully anchored as in Loki:
// `name=~"a.*"` matches "abc" but not "xabc".
//   auto m = LabelMatcher::Make(MatchType::kRegex, "app", "api|web");
//   if (!m.ok()) return m.status();          // bad regex: InvalidArgument naming it
//   m->Matches("api") == true;
// Thread-safety: const methods may be called from many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace re2 {
class RE2;
}

namespace sluice {

enum class MatchType { kEqual, kNotEqual, kRegex, kNotRegex };

// "=", "!=", "=~", "!~".
std::string_view MatchTypeSymbol(MatchType t);

class LabelMatcher {
 public:
  static Result<LabelMatcher> Make(MatchType type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }

  // Applies the matcher to a label value; an absent label is passed as "".
  bool Matches(std::string_view v) const;
  // True if the matcher accepts the empty string (so it also selects streams lacking the label).
  bool MatchesEmpty() const { return matches_empty_; }

  // For regex matchers whose pattern is a plain alternation of literals ("a|b|c"), the
  // literals; lets index/ turn the matcher into point lookups. Empty otherwise.
  const std::vector<std::string>& literal_alternatives() const { return literals_; }

  // `name="value"` with the value Go-quoted.
  std::string ToString() const;

 private:
  LabelMatcher() = default;

  MatchType type_ = MatchType::kEqual;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;  // set for regex types; shared so copies are cheap
  bool matches_empty_ = false;
  std::vector<std::string> literals_;
};

using Matchers = std::vector<LabelMatcher>;

}  // namespace sluice
