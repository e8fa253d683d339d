// Prettify: the multi-line LogQL formatting of Loki's syntax.Prettify (pkg/logql/syntax/
// prettier.go), which GET /loki/api/v1/format_query returns. Expressions whose one-line form
// (Print) fits in kMaxCharsPerLine stay on one line; longer ones are split with two-space
// indentation per level. Loki's quirks are kept on purpose (e.g. a split line-filter chain
// prints only the first operand of an `or`, `on ()` without labels is dropped), so the
// output is byte-identical to Loki's; use Print for a form that always re-parses the same.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "logql/syntax/ast.h"

namespace sluice::logql::syntax {

inline constexpr size_t kMaxCharsPerLine = 100;

std::string Prettify(const Expr& e);

}  // namespace sluice::logql::syntax
