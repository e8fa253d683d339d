// Evaluates a range aggregation (`count_over_time({...} | json [5m] offset 1h)` etc.) by one
// streaming pass over the Querier: entries arrive in time order, go through the compiled
// pipeline (per-stream label state keyed by StreamHash), become samples (1, line bytes, or the
// unwrapped value), and are folded into the open windows of their series (range_window.h).
// Storage sees the time range [first window start, last window end] and the pushed-down line
// filters; json/logfmt parsers get the labels the query reads as hints.
// Ops whose windows merge by sum / min / max cut that time range into shards
// (EngineOptions::parallelism, min_shard_span_ns), each scanned on its own thread with its own
// pipeline and windows, then merged (shard_merge.h) into what one pass would give.
//
// A sample that still carries __error__ inside a window fails the query with Loki's pipeline
// error (InvalidArgument, text in PipelineErrorMessage).
// Thread-safety: one call per query; the Querier must accept SelectLogs iterators being read
// on other threads (calls themselves are made on the calling thread).
#pragma once

#include <optional>
#include <string>

#include "common/labels.h"
#include "common/result.h"
#include "logql/engine/eval_context.h"
#include "logql/engine/step_matrix.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// Loki's PipelineError text for a series that carries __error__ (ends with a newline).
std::string PipelineErrorMessage(const Labels& series);

// `override_grouping` is the grouping of a parent `sum` pushed down into the extractor (Loki's
// canInjectVectorGrouping); null when none.
Result<StepMatrix> EvalRangeAggregation(const syntax::RangeAggregationExpr& e,
                                        const syntax::Grouping* override_grouping,
                                        EvalContext* ctx);

// The labels absent_over_time reports: the selector's `=` matchers, minus names that also
// appear with another operator or repeated.
Labels AbsentLabels(const Matchers& matchers);

}  // namespace sluice::logql::engine
