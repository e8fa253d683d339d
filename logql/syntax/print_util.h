// Internal to logql/syntax: pieces shared by the one-line printer (printer.cc) and the
// multi-line Prettify (pretty.cc). Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "logql/syntax/ast.h"

namespace sluice::logql::syntax {

std::string JoinStrings(const std::vector<std::string>& v, std::string_view sep);

// True for != !~ !> (whose `or` operands Loki splits into separate filters).
bool IsNegativeLineFilter(LineFilterOp op);

// `"value"` or `ip("value")`.
std::string LineFilterArgString(const LineFilterArg& a);

// The operator of a binary expression with its modifiers: `> bool`, `/ on (a) group_left (b)`.
// Loki's String() (pretty = false) joins labels with "," and prints `on ()`; its Prettify
// (pretty = true) joins with ", " and drops an empty on/ignoring list.
std::string BinaryOpWithModifiers(const BinaryExpr& b, bool pretty);

}  // namespace sluice::logql::syntax
