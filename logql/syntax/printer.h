// LogQL printer: AST -> canonical LogQL text, the form Loki's Expr.String() produces (and
// GET /loki/api/v1/format_query returns). ParseExpr(Print(e)) yields an equal tree, and
// Print is a fixed point: Print(ParseExpr(Print(e))) == Print(e).
//
//   auto e = ParseExpr(R"(sum by(a)(rate({x="y"}|json[5m])))");
//   Print(**e) == R"(sum by (a)(rate({x="y"} | json[5m])))"
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "logql/syntax/ast.h"

namespace sluice::logql::syntax {

std::string Print(const Expr& e);
std::string Print(const Stage& s);
std::string Print(const LabelFilter& f);
// `{...} | stages | unwrap x[5m] offset 1h` as inside a range aggregation.
std::string Print(const LogRange& r);
// A string quoted as Go's strconv.Quote does (how Loki prints every string operand).
std::string GoQuote(std::string_view s);
// A float as Go's strconv.FormatFloat(v, 'f', -1, 64) ("0.5", "1000", "NaN", "+Inf").
std::string FormatFloat(double v);

}  // namespace sluice::logql::syntax
