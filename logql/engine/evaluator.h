// Evaluates a metric (sample) expression tree over the step grid of an EvalContext, node by
// node, as Loki's step evaluators do (evaluator.go): range aggregations scan storage once each,
// vector aggregations, binary operators, label_replace and vector() work on StepMatrix values.
// A `sum` directly over count/rate/bytes/sum range aggregations pushes its grouping into the
// sample extraction (Loki's canInjectVectorGrouping), so only the grouped series are kept.
// Thread-safety: none (one evaluation per query).
#pragma once

#include "common/result.h"
#include "logql/engine/eval_context.h"
#include "logql/engine/step_matrix.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// A scalar (number literals and literal arithmetic) or an instant vector per step.
struct MetricValue {
  bool is_scalar = false;
  double scalar = 0;
  StepMatrix matrix;
};

Result<MetricValue> EvalMetric(const syntax::Expr& e, EvalContext* ctx);

// True if the expression uses sort / sort_desc anywhere (instant results keep their order).
bool UsesSortByValue(const syntax::Expr& e);

}  // namespace sluice::logql::engine
