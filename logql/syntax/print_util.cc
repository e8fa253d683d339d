#include "logql/syntax/print_util.h"

#include "logql/syntax/printer.h"

namespace sluice::logql::syntax {

std::string JoinStrings(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0)
      out += sep;
    out += v[i];
  }
  return out;
}

bool IsNegativeLineFilter(LineFilterOp op) {
  return op == LineFilterOp::kNotContains || op == LineFilterOp::kNotRegex ||
         op == LineFilterOp::kNotPattern;
}

std::string LineFilterArgString(const LineFilterArg& a) {
  return a.is_ip ? "ip(" + GoQuote(a.value) + ")" : GoQuote(a.value);
}

std::string BinaryOpWithModifiers(const BinaryExpr& b, bool pretty) {
  std::string_view sep = pretty ? ", " : ",";
  std::string op(BinaryOpSymbol(b.op));
  if (b.return_bool)
    op += " bool";
  std::string group;
  if (b.matching.card == Cardinality::kManyToOne)
    group = "group_left";
  if (b.matching.card == Cardinality::kOneToMany)
    group = "group_right";
  if (!b.matching.include.empty())
    group += " (" + JoinStrings(b.matching.include, sep) + ")";
  bool print_matching = !b.matching.labels.empty() || (!pretty && b.matching.on);
  if (print_matching) {
    op += std::string(b.matching.on ? " on (" : " ignoring (") +
          JoinStrings(b.matching.labels, sep) + ") " + group;
  }
  return op;
}

}  // namespace sluice::logql::syntax
