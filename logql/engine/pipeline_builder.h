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
#include "logql/querier.h"
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

// The parser guard of `stages` pushed down to storage (SelectLogsParams::bare_line_filter), or
// null: only when the stages start with pure line filters (`line_filter`, the pipeline's
// PushdownFilter(), may be null) followed by a parser the guard wraps and label filters that
// require values. Per stream it checks the required labels the stream does not carry; storage
// applies it only to entries whose structured metadata holds none of the required labels (most
// hold only detected_level), for which that is the guard's test.
std::shared_ptr<const BareLineFilter> BareEntryPushdown(
    const std::vector<syntax::Stage>& stages, std::shared_ptr<const LineFilter> line_filter);

// `| unwrap ...` and its post-filters.
struct CompiledUnwrap {
  log::UnwrapExtractor extractor;
  log::Pipeline post_filters;  // label filter stages only
};

Result<CompiledUnwrap> BuildUnwrap(const syntax::Unwrap& unwrap);

}  // namespace sluice::logql::engine
