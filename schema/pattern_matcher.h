// PatternMatcher: one compiled `pattern` / `patternProperties` regex. Tries the ASCII fast
// path (schema/simple_regex.h) first and falls back to RE2 (the ECMA-262 translation) when the
// pattern is outside that subset or the fast path runs out of steps. Unanchored search, as
// JSON Schema specifies. Thread-safety: immutable; Search is const and reentrant.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "schema/simple_regex.h"

namespace sluice::schema {

class PatternMatcher {
 public:
  // `re` is the RE2 form of `ecma` and must outlive the matcher.
  PatternMatcher(const RE2* re, std::string_view ecma)
      : re_(re), simple_(SimpleRegex::TryCompile(ecma)) {}

  bool Search(std::string_view s) const {
    SimpleRegex::Outcome fast = simple_ ? simple_->Search(s) : SimpleRegex::Outcome::kGaveUp;
    if (fast != SimpleRegex::Outcome::kGaveUp)
      return fast == SimpleRegex::Outcome::kMatch;
    return RE2::PartialMatch(s, *re_);
  }

 private:
  const RE2* re_;
  std::unique_ptr<SimpleRegex> simple_;  // nullptr: RE2 only
};

}  // namespace sluice::schema
