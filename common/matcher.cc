#include "common/matcher.h"

#include <re2/re2.h>

#include "common/labels.h"

namespace sluice {

std::string_view MatchTypeSymbol(MatchType t) {
  switch (t) {
    case MatchType::kEqual: return "=";
    case MatchType::kNotEqual: return "!=";
    case MatchType::kRegex: return "=~";
    case MatchType::kNotRegex: return "!~";
  }
  return "?";
}

namespace {

// Splits "a|b|c" into literals when it contains no other regex metacharacters.
std::vector<std::string> LiteralAlternatives(const std::string& pattern) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : pattern) {
    if (c == '|') {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    if (std::string_view("\\.+*?()[]{}^$").find(c) != std::string_view::npos) return {};
    cur.push_back(c);
  }
  out.push_back(cur);
  return out;
}

}  // namespace

Result<LabelMatcher> LabelMatcher::Make(MatchType type, std::string name, std::string value) {
  LabelMatcher m;
  m.type_ = type;
  m.name_ = std::move(name);
  m.value_ = std::move(value);
  if (type == MatchType::kRegex || type == MatchType::kNotRegex) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);  // Prometheus/Loki compile with (?s)
    auto re = std::make_shared<RE2>("^(?:" + m.value_ + ")$", opts);
    if (!re->ok()) {
      return InvalidArgumentError("invalid regular expression \"" + m.value_ + "\" for label " +
                                  m.name_ + ": " + re->error());
    }
    m.re_ = std::move(re);
    m.literals_ = LiteralAlternatives(m.value_);
  }
  m.matches_empty_ = m.Matches("");
  return m;
}

bool LabelMatcher::Matches(std::string_view v) const {
  switch (type_) {
    case MatchType::kEqual: return v == value_;
    case MatchType::kNotEqual: return v != value_;
    case MatchType::kRegex: return RE2::FullMatch(v, *re_);
    case MatchType::kNotRegex: return !RE2::FullMatch(v, *re_);
  }
  return false;
}

std::string LabelMatcher::ToString() const {
  std::string out = name_;
  out += MatchTypeSymbol(type_);
  AppendQuoted(value_, &out);
  return out;
}

}  // namespace sluice
