#include "logql/syntax/ast.h"

#include <utility>

namespace sluice::logql::syntax {

std::string_view CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual:
      return "==";
    case CompareOp::kNotEqual:
      return "!=";
    case CompareOp::kGreater:
      return ">";
    case CompareOp::kGreaterEqual:
      return ">=";
    case CompareOp::kLess:
      return "<";
    case CompareOp::kLessEqual:
      return "<=";
  }
  return "?";
}

std::string_view LineFilterOpSymbol(LineFilterOp op) {
  switch (op) {
    case LineFilterOp::kContains:
      return "|=";
    case LineFilterOp::kNotContains:
      return "!=";
    case LineFilterOp::kRegex:
      return "|~";
    case LineFilterOp::kNotRegex:
      return "!~";
    case LineFilterOp::kPattern:
      return "|>";
    case LineFilterOp::kNotPattern:
      return "!>";
  }
  return "?";
}

std::string_view UnwrapConversionName(UnwrapConversion c) {
  switch (c) {
    case UnwrapConversion::kNone:
      return "";
    case UnwrapConversion::kBytes:
      return "bytes";
    case UnwrapConversion::kDuration:
      return "duration";
    case UnwrapConversion::kDurationSeconds:
      return "duration_seconds";
  }
  return "";
}

std::string_view RangeOpName(RangeOp op) {
  switch (op) {
    case RangeOp::kCountOverTime:
      return "count_over_time";
    case RangeOp::kRate:
      return "rate";
    case RangeOp::kRateCounter:
      return "rate_counter";
    case RangeOp::kBytesOverTime:
      return "bytes_over_time";
    case RangeOp::kBytesRate:
      return "bytes_rate";
    case RangeOp::kAvgOverTime:
      return "avg_over_time";
    case RangeOp::kSumOverTime:
      return "sum_over_time";
    case RangeOp::kMinOverTime:
      return "min_over_time";
    case RangeOp::kMaxOverTime:
      return "max_over_time";
    case RangeOp::kStdvarOverTime:
      return "stdvar_over_time";
    case RangeOp::kStddevOverTime:
      return "stddev_over_time";
    case RangeOp::kQuantileOverTime:
      return "quantile_over_time";
    case RangeOp::kFirstOverTime:
      return "first_over_time";
    case RangeOp::kLastOverTime:
      return "last_over_time";
    case RangeOp::kAbsentOverTime:
      return "absent_over_time";
  }
  return "?";
}

std::string_view VectorOpName(VectorOp op) {
  switch (op) {
    case VectorOp::kSum:
      return "sum";
    case VectorOp::kAvg:
      return "avg";
    case VectorOp::kCount:
      return "count";
    case VectorOp::kMax:
      return "max";
    case VectorOp::kMin:
      return "min";
    case VectorOp::kStddev:
      return "stddev";
    case VectorOp::kStdvar:
      return "stdvar";
    case VectorOp::kBottomK:
      return "bottomk";
    case VectorOp::kTopK:
      return "topk";
    case VectorOp::kSort:
      return "sort";
    case VectorOp::kSortDesc:
      return "sort_desc";
    case VectorOp::kApproxTopK:
      return "approx_topk";
  }
  return "?";
}

std::string_view BinaryOpSymbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kUnless:
      return "unless";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kPow:
      return "^";
    case BinaryOp::kEqual:
      return "==";
    case BinaryOp::kNotEqual:
      return "!=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEqual:
      return ">=";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEqual:
      return "<=";
  }
  return "?";
}

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
      return true;
    default:
      return false;
  }
}

bool IsSetOperator(BinaryOp op) {
  return op == BinaryOp::kOr || op == BinaryOp::kAnd || op == BinaryOp::kUnless;
}

LabelFilter Clone(const LabelFilter& f) {
  return std::visit(Overloaded{
                        [](const BinaryLabelFilter& b) {
                          BinaryLabelFilter out;
                          out.is_or = b.is_or;
                          out.left = std::make_unique<LabelFilter>(Clone(*b.left));
                          out.right = std::make_unique<LabelFilter>(Clone(*b.right));
                          return LabelFilter{std::move(out)};
                        },
                        [](const auto& leaf) { return LabelFilter{leaf}; },
                    },
                    f.node);
}

Stage Clone(const Stage& s) {
  return std::visit(
      Overloaded{
          [](const LabelFilterStage& lf) { return Stage{LabelFilterStage{Clone(lf.filter)}}; },
          [](const auto& other) { return Stage{other}; },
      },
      s);
}

namespace {

std::unique_ptr<LogExpr> CloneLog(const LogExpr& e) {
  auto out = std::make_unique<LogExpr>();
  out->matchers = e.matchers;
  for (const Stage& s : e.stages)
    out->stages.push_back(Clone(s));
  return out;
}

}  // namespace

std::unique_ptr<Expr> Clone(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLog:
      return CloneLog(e.As<LogExpr>());
    case ExprKind::kRangeAggregation: {
      const auto& r = e.As<RangeAggregationExpr>();
      auto out = std::make_unique<RangeAggregationExpr>();
      out->op = r.op;
      out->range.log = CloneLog(*r.range.log);
      out->range.range_ns = r.range.range_ns;
      out->range.offset_ns = r.range.offset_ns;
      if (r.range.unwrap) {
        Unwrap u;
        u.label = r.range.unwrap->label;
        u.conversion = r.range.unwrap->conversion;
        for (const LabelFilter& f : r.range.unwrap->post_filters)
          u.post_filters.push_back(Clone(f));
        out->range.unwrap = std::move(u);
      }
      out->param = r.param;
      out->grouping = r.grouping;
      return out;
    }
    case ExprKind::kVectorAggregation: {
      const auto& v = e.As<VectorAggregationExpr>();
      auto out = std::make_unique<VectorAggregationExpr>();
      out->op = v.op;
      out->inner = Clone(*v.inner);
      out->grouping = v.grouping;
      out->param = v.param;
      return out;
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<BinaryExpr>();
      auto out = std::make_unique<BinaryExpr>();
      out->op = b.op;
      out->lhs = Clone(*b.lhs);
      out->rhs = Clone(*b.rhs);
      out->return_bool = b.return_bool;
      out->matching = b.matching;
      return out;
    }
    case ExprKind::kLiteral:
      return std::make_unique<LiteralExpr>(e.As<LiteralExpr>().value);
    case ExprKind::kVector: {
      auto out = std::make_unique<VectorExpr>();
      out->value = e.As<VectorExpr>().value;
      return out;
    }
    case ExprKind::kLabelReplace: {
      const auto& l = e.As<LabelReplaceExpr>();
      auto out = std::make_unique<LabelReplaceExpr>();
      out->inner = Clone(*l.inner);
      out->dst = l.dst;
      out->replacement = l.replacement;
      out->src = l.src;
      out->regex = l.regex;
      return out;
    }
  }
  return nullptr;
}

}  // namespace sluice::logql::syntax
