// Binary operators between metric values, step by step, with Loki's semantics (evaluator.go
// vectorBinop / LiteralStepEvaluator, syntax.MergeBinOp):
//   arithmetic + - * / % ^ (/ and % by zero give NaN); comparisons == != > >= < <= keep the
//   sample with its vector's value (left side for vector⊕vector) when true, drop it when false,
//   or give 0/1 with `bool`; and/or/unless as set operations on matching signatures;
//   on(...)/ignoring(...) choose the signature, group_left/group_right allow many-to-one.
// Errors are InvalidArgument with Loki's texts ("multiple matches for labels: ...",
// "found duplicate series on the right hand-side; ...").
// Thread-safety: pure functions.
#pragma once

#include "common/result.h"
#include "logql/engine/step_matrix.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// scalar op scalar; comparisons give 0 / 1 (as Loki folds literals).
double ApplyScalar(syntax::BinaryOp op, double a, double b);

// `scalar op vector` (scalar_on_left) or `vector op scalar`, per sample; labels are kept.
StepMatrix ApplyScalarVector(syntax::BinaryOp op, bool return_bool, double scalar,
                             bool scalar_on_left, const StepMatrix& vec);

// `lhs op lhs` between two vectors (arithmetic, comparison or set operator).
Result<StepMatrix> ApplyVectorVector(syntax::BinaryOp op, bool return_bool,
                                     const syntax::VectorMatching& matching, const StepMatrix& lhs,
                                     const StepMatrix& rhs);

}  // namespace sluice::logql::engine
