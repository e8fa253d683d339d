// Parser: Loki's validation pass (validateExpr in pkg/logql/syntax/parser.go), regex and
// pattern checks with Go's error texts.
#include <set>
#include <string>

#include <re2/re2.h>

#include "logql/syntax/parser_impl.h"

namespace sluice::logql::syntax {

namespace {

constexpr const char* kNeedsMatcher =
    "queries require at least one regexp or equality matcher that does not have an "
    "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but "
    "app=~\".+\" will";

// Go regexp/syntax ErrorCode texts for RE2's codes.
const char* GoRegexErrorText(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "invalid regular expression";
  }
}

}  // namespace

std::string CheckRegex(const std::string& re, int* named_groups, int* total_groups) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 compiled(re, opts);
  if (!compiled.ok()) {
    return std::string("error parsing regexp: ") + GoRegexErrorText(compiled.error_code()) + ": `" +
           compiled.error_arg() + "`";
  }
  if (named_groups != nullptr) {
    *named_groups = static_cast<int>(compiled.NamedCapturingGroups().size());
  }
  if (total_groups != nullptr)
    *total_groups = compiled.NumberOfCapturingGroups();
  return "";
}

// Loki's pattern syntax: `<name>` captures (`<_>` unnamed), everything else literal.
std::string CheckPattern(std::string_view p) {
  struct Node {
    bool capture;
    std::string text;
  };

  std::vector<Node> nodes;
  size_t i = 0;
  while (i < p.size()) {
    if (p[i] == '<') {
      size_t j = i + 1;
      auto ident = [](char c, bool first) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (!first && c >= '0' && c <= '9');
      };
      while (j < p.size() && ident(p[j], j == i + 1))
        ++j;
      if (j > i + 1 && j < p.size() && p[j] == '>') {
        nodes.push_back({true, std::string(p.substr(i + 1, j - i - 1))});
        i = j + 1;
        continue;
      }
    }
    if (nodes.empty() || nodes.back().capture)
      nodes.push_back({false, ""});
    nodes.back().text.push_back(p[i]);
    ++i;
  }
  std::set<std::string> names;
  int named = 0;
  for (const Node& n : nodes) {
    if (n.capture && n.text != "_")
      ++named;
  }
  if (named == 0)
    return "at least one capture is required";
  for (size_t k = 0; k + 1 < nodes.size(); ++k) {
    if (nodes[k].capture && nodes[k + 1].capture) {
      return "found consecutive capture '<" + nodes[k].text + "><" + nodes[k + 1].text +
             ">': invalid expression";
    }
  }
  for (const Node& n : nodes) {
    if (!n.capture || n.text == "_")
      continue;
    if (!names.insert(n.text).second) {
      return "duplicate capture name (" + n.text + "): invalid expression";
    }
  }
  return "";
}

Status Parser::ValidateMatchers(const LogExpr& log) const {
  for (const LabelMatcher& m : log.matchers) {
    if (!m.MatchesEmpty())
      return Status::Ok();
  }
  return SemanticError(kNeedsMatcher);
}

Status Parser::Validate(const Expr& e) const {
  auto it = deferred_.find(&e);
  if (it != deferred_.end())
    return SemanticError(it->second);
  switch (e.kind) {
    case ExprKind::kLog:
      return ValidateMatchers(e.As<LogExpr>());
    case ExprKind::kRangeAggregation:
      return ValidateMatchers(*e.As<RangeAggregationExpr>().range.log);
    case ExprKind::kVectorAggregation: {
      const auto& v = e.As<VectorAggregationExpr>();
      if ((v.op == VectorOp::kSort || v.op == VectorOp::kSortDesc) && v.grouping &&
          !v.grouping->labels.empty()) {
        return SemanticError("sort and sort_desc doesn't allow grouping by ");
      }
      return Validate(*v.inner);
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<BinaryExpr>();
      SLUICE_RETURN_IF_ERROR(Validate(*b.lhs));
      return Validate(*b.rhs);
    }
    case ExprKind::kLabelReplace:
      return Validate(*e.As<LabelReplaceExpr>().inner);
    case ExprKind::kLiteral:
    case ExprKind::kVector:
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace sluice::logql::syntax
