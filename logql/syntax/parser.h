// LogQL parser: text -> AST (logql/syntax/ast.h), with Loki's grammar, lexer rules and errors.
//
//   Result<std::unique_ptr<syntax::Expr>> e = syntax::ParseExpr(R"(rate({app="x"}[5m]))");
//   if (!e.ok()) return e.status();  // InvalidArgument, message exactly as Loki's
//   if ((*e)->IsMetric()) ...
//
// Errors (all StatusCode::kInvalidArgument, the message is what Loki returns to clients):
//   "parse error at line L, col C: syntax error: unexpected X[, expecting Y]"  (grammar/lexer)
//   "parse error : <msg>"  (validation after parsing, e.g. selector matching everything,
//                           unwrap rules, topk parameter, invalid regex)
// Thread-safety: ParseExpr is reentrant.
#pragma once

#include <memory>
#include <string_view>

#include "common/result.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::syntax {

// Largest accepted query, as Loki's maxInputSize (128 KiB); longer inputs fail with
// "parse error : input size too long (N > 131072)".
inline constexpr size_t kMaxQuerySize = 131072;

// Parses and validates a whole query (log or metric).
Result<std::unique_ptr<Expr>> ParseExpr(std::string_view query);

// Parses and requires a metric (sample) expression; a log query fails with
// "parse error : only sample expression supported"... (Loki's ParseSampleExpr).
Result<std::unique_ptr<Expr>> ParseSampleExpr(std::string_view query);

// Parses and requires a log query (Loki's ParseLogSelector).
Result<std::unique_ptr<LogExpr>> ParseLogSelector(std::string_view query);

}  // namespace sluice::logql::syntax
