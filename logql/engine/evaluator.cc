#include "logql/engine/evaluator.h"

#include <utility>

#include "logql/engine/binary_op.h"
#include "logql/engine/label_replace.h"
#include "logql/engine/range_evaluation.h"
#include "logql/engine/vector_aggregation.h"

namespace sluice::logql::engine {

namespace {

using syntax::ExprKind;

bool CanInjectVectorGrouping(syntax::VectorOp vec_op, syntax::RangeOp range_op) {
  if (vec_op != syntax::VectorOp::kSum)
    return false;
  switch (range_op) {
    case syntax::RangeOp::kBytesOverTime:
    case syntax::RangeOp::kBytesRate:
    case syntax::RangeOp::kSumOverTime:
    case syntax::RangeOp::kRate:
    case syntax::RangeOp::kCountOverTime:
      return true;
    default:
      return false;
  }
}

StepMatrix ConstantVector(double v, const StepGrid& grid) {
  StepMatrix m(grid.size());
  const uint32_t id = m.table.Intern(Labels());
  for (auto& step : m.steps)
    step.push_back({id, v});
  return m;
}

Result<MetricValue> EvalVectorAggregation(const syntax::VectorAggregationExpr& e,
                                          EvalContext* ctx) {
  MetricValue inner;
  if (e.inner->kind == ExprKind::kRangeAggregation) {
    const auto& r = e.inner->As<syntax::RangeAggregationExpr>();
    if (!r.grouping.has_value() && CanInjectVectorGrouping(e.op, r.op)) {
      const syntax::Grouping grouping = e.grouping.value_or(syntax::Grouping{});
      SLUICE_ASSIGN_OR_RETURN(inner.matrix, EvalRangeAggregation(r, &grouping, ctx));
    } else {
      SLUICE_ASSIGN_OR_RETURN(inner.matrix, EvalRangeAggregation(r, nullptr, ctx));
    }
  } else {
    SLUICE_ASSIGN_OR_RETURN(inner, EvalMetric(*e.inner, ctx));
    if (inner.is_scalar) {
      return InvalidArgumentError(std::string("parse error : unexpected literal for ") +
                                  std::string(syntax::VectorOpName(e.op)) + " aggregation");
    }
  }
  MetricValue out;
  out.matrix = AggregateVector(e.op, e.grouping, e.param, inner.matrix);
  return out;
}

Result<MetricValue> EvalBinary(const syntax::BinaryExpr& e, EvalContext* ctx) {
  SLUICE_ASSIGN_OR_RETURN(MetricValue lhs, EvalMetric(*e.lhs, ctx));
  SLUICE_ASSIGN_OR_RETURN(MetricValue rhs, EvalMetric(*e.rhs, ctx));
  MetricValue out;
  if (lhs.is_scalar && rhs.is_scalar) {
    out.is_scalar = true;
    out.scalar = ApplyScalar(e.op, lhs.scalar, rhs.scalar);
    return out;
  }
  if (syntax::IsSetOperator(e.op) && (lhs.is_scalar || rhs.is_scalar)) {
    return InvalidArgumentError(
        "parse error : unexpected literal for right leg of logical/set "
        "binary operation (" +
        std::string(syntax::BinaryOpSymbol(e.op)) + ")");
  }
  if (lhs.is_scalar) {
    out.matrix = ApplyScalarVector(e.op, e.return_bool, lhs.scalar, true, rhs.matrix);
  } else if (rhs.is_scalar) {
    out.matrix = ApplyScalarVector(e.op, e.return_bool, rhs.scalar, false, lhs.matrix);
  } else {
    SLUICE_ASSIGN_OR_RETURN(
        out.matrix, ApplyVectorVector(e.op, e.return_bool, e.matching, lhs.matrix, rhs.matrix));
  }
  return out;
}

}  // namespace

Result<MetricValue> EvalMetric(const syntax::Expr& e, EvalContext* ctx) {
  SLUICE_RETURN_IF_ERROR(ctx->CheckDeadline());
  MetricValue out;
  switch (e.kind) {
    case ExprKind::kLiteral:
      out.is_scalar = true;
      out.scalar = e.As<syntax::LiteralExpr>().value;
      return out;
    case ExprKind::kVector:
      out.matrix = ConstantVector(e.As<syntax::VectorExpr>().value, ctx->grid);
      return out;
    case ExprKind::kRangeAggregation: {
      SLUICE_ASSIGN_OR_RETURN(
          out.matrix, EvalRangeAggregation(e.As<syntax::RangeAggregationExpr>(), nullptr, ctx));
      return out;
    }
    case ExprKind::kVectorAggregation:
      return EvalVectorAggregation(e.As<syntax::VectorAggregationExpr>(), ctx);
    case ExprKind::kBinary:
      return EvalBinary(e.As<syntax::BinaryExpr>(), ctx);
    case ExprKind::kLabelReplace: {
      const auto& lr = e.As<syntax::LabelReplaceExpr>();
      SLUICE_ASSIGN_OR_RETURN(MetricValue inner, EvalMetric(*lr.inner, ctx));
      if (inner.is_scalar)
        return InvalidArgumentError("parse error : label_replace of a literal");
      SLUICE_ASSIGN_OR_RETURN(out.matrix,
                              LabelReplace(inner.matrix, lr.dst, lr.replacement, lr.src, lr.regex));
      return out;
    }
    case ExprKind::kLog:
      break;
  }
  return InvalidArgumentError("parse error : unexpected log query in a metric expression");
}

bool UsesSortByValue(const syntax::Expr& e) {
  switch (e.kind) {
    case ExprKind::kVectorAggregation: {
      const auto& v = e.As<syntax::VectorAggregationExpr>();
      return v.op == syntax::VectorOp::kSort || v.op == syntax::VectorOp::kSortDesc ||
             UsesSortByValue(*v.inner);
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<syntax::BinaryExpr>();
      return UsesSortByValue(*b.lhs) || UsesSortByValue(*b.rhs);
    }
    case ExprKind::kLabelReplace:
      return UsesSortByValue(*e.As<syntax::LabelReplaceExpr>().inner);
    default:
      return false;
  }
}

}  // namespace sluice::logql::engine
