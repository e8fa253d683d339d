// Vector aggregations (sum avg min max count stddev stdvar topk bottomk approx_topk sort
// sort_desc) applied step by step to a StepMatrix, with Loki's semantics (evaluator.go
// VectorAggEvaluator): `by (l...)` keeps those labels, `without (l...)` drops them, no clause
// is one group `{}`; topk/bottomk/sort keep the original series labels.
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "common/labels.h"
#include "logql/engine/step_matrix.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// The group a series falls in: `labels` cut to the grouping (nullopt: the empty group).
Labels GroupLabels(const Labels& labels, const std::optional<syntax::Grouping>& grouping);

// REQUIRES: `k` set for topk / bottomk / approx_topk.
StepMatrix AggregateVector(syntax::VectorOp op, const std::optional<syntax::Grouping>& grouping,
                           std::optional<int64_t> k, const StepMatrix& in);

}  // namespace sluice::logql::engine
