// Compiles the stages of a parsed log expression (logql/syntax/ast.h) into a runnable
// log::Pipeline (logql/log/stage.h), plus the unwrap extractor and its post-filters for metric
// queries. The AST holds what the query says; this is where it becomes compiled state, so a bad
// regex / template / ip() surfaces here as InvalidArgument (HTTP 400).
//
//   SLUICE_ASSIGN_OR_RETURN(log::Pipeline p, BuildPipeline(log_expr.stages, {}));
//   std::shared_ptr<const LineFilter> pushdown = p.PushdownFilter();
//
// Thread-safety: pure functions; the results are single-threaded (see stage.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "logql/log/label_filter.h"
#include "logql/log/stage.h"
#include "logql/log/unwrap.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// Converts a syntax label filter tree into the evaluating one.
Result<log::LabelFilterExpr> BuildLabelFilter(const syntax::LabelFilter& f);

// Labels read after the pipeline, for parser hints: nullopt means "all labels may be read"
// (log queries; metric queries whose series keep every label).
using FinalLabels = std::optional<std::vector<std::string>>;

// Builds the pipeline of `stages`. `final_labels` (plus the unwrap label, when given) lets each
// json / logfmt parser extract only the labels a later stage or the result needs.
Result<log::Pipeline> BuildPipeline(const std::vector<syntax::Stage>& stages,
                                    const FinalLabels& final_labels,
                                    const syntax::Unwrap* unwrap = nullptr);

// `| unwrap ...` and its post-filters.
struct CompiledUnwrap {
  log::UnwrapExtractor extractor;
  log::Pipeline post_filters;  // label filter stages only
};

Result<CompiledUnwrap> BuildUnwrap(const syntax::Unwrap& unwrap);

}  // namespace sluice::logql::engine
