#include "logql/syntax/pretty.h"

#include <string>
#include <vector>

#include "logql/syntax/go_format.h"
#include "logql/syntax/print_util.h"
#include "logql/syntax/printer.h"

namespace sluice::logql::syntax {

namespace {

std::string Indent(int level) {
  return std::string(static_cast<size_t>(level) * 2, ' ');
}

bool NeedSplit(const std::string& one_line) {
  return one_line.size() > kMaxCharsPerLine;
}

// One element of Loki's line-filter chain: `op arg (or arg)*`.
struct ChainElem {
  LineFilterOp op;
  std::vector<const LineFilterArg*> args;
};

std::string ElemString(const ChainElem& e, bool first_arg_only) {
  std::string out = std::string(LineFilterOpSymbol(e.op)) + " ";
  size_t n = first_arg_only ? 1 : e.args.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0)
      out += " or ";
    out += LineFilterArgString(*e.args[i]);
  }
  return out;
}

std::string ChainString(const std::vector<ChainElem>& chain, size_t n) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < n; ++i)
    parts.push_back(ElemString(chain[i], false));
  return JoinStrings(parts, " ");
}

// LineFilterExpr.Pretty over the first n elements of a chain.
std::string ChainPretty(const std::vector<ChainElem>& chain, size_t n, int level) {
  std::string one = ChainString(chain, n);
  if (!NeedSplit(one))
    return Indent(level) + one;
  std::string s;
  if (n > 1)
    s = ChainPretty(chain, n - 1, level) + "\n";
  return s + Indent(level) + ElemString(chain[n - 1], /*first_arg_only=*/true);
}

std::string StagePretty(const Stage& st, int level) {
  if (std::holds_alternative<DecolorizeStage>(st))
    return Print(st);  // Loki: no indent
  return Indent(level) + Print(st);
}

std::string LogPretty(const LogExpr& log, int level) {
  std::string one = Print(log);
  if (log.stages.empty() || !NeedSplit(one))
    return Indent(level) + one;
  LogExpr selector_only;
  selector_only.matchers = log.matchers;
  std::string s = Indent(level) + Print(selector_only) + "\n";
  std::vector<std::string> stages;
  for (size_t i = 0; i < log.stages.size();) {
    if (!std::holds_alternative<LineFilterStage>(log.stages[i])) {
      stages.push_back(StagePretty(log.stages[i], level + 1));
      ++i;
      continue;
    }
    std::vector<ChainElem> chain;
    for (; i < log.stages.size() && std::holds_alternative<LineFilterStage>(log.stages[i]); ++i) {
      const auto& f = std::get<LineFilterStage>(log.stages[i]);
      if (!chain.empty() && IsNegativeLineFilter(f.op)) {
        for (const LineFilterArg& a : f.args)
          chain.push_back({f.op, {&a}});
        continue;
      }
      ChainElem e{f.op, {}};
      for (const LineFilterArg& a : f.args)
        e.args.push_back(&a);
      chain.push_back(std::move(e));
    }
    stages.push_back(ChainPretty(chain, chain.size(), level + 1));
  }
  return s + JoinStrings(stages, "\n");
}

std::string GroupingPretty(const Grouping& g) {
  std::string s;
  if (g.without) {
    s += " without";
  } else if (!g.labels.empty()) {
    s += " by";
  }
  if (!g.labels.empty())
    s += " (" + JoinStrings(g.labels, ", ") + ")";
  return s;
}

std::string Pretty(const Expr& e, int level);

std::string LogRangePretty(const LogRange& r, int level) {
  std::string s = LogPretty(*r.log, level);
  if (r.unwrap) {
    const Unwrap& u = *r.unwrap;
    s += "\n" + Indent(level + 1) + "| unwrap ";
    if (u.conversion == UnwrapConversion::kNone) {
      s += u.label;
    } else {
      s += std::string(UnwrapConversionName(u.conversion)) + "(" + u.label + ")";
    }
    for (const LabelFilter& f : u.post_filters)
      s += "\n" + Indent(level + 1) + "| " + Print(f);
  }
  s += " [" + FormatPromDurationNs(r.range_ns) + "]";
  if (r.offset_ns != 0)
    s += " offset " + FormatPromDurationNs(r.offset_ns);
  return s;
}

std::string Pretty(const Expr& e, int level) {
  std::string one = Print(e);
  if (e.kind == ExprKind::kLog)
    return LogPretty(e.As<LogExpr>(), level);
  if (!NeedSplit(one))
    return Indent(level) + one;
  switch (e.kind) {
    case ExprKind::kRangeAggregation: {
      const auto& r = e.As<RangeAggregationExpr>();
      std::string s = Indent(level) + std::string(RangeOpName(r.op)) + "(\n";
      if (r.param)
        s += Indent(level + 1) + FormatGoFloatV(*r.param) + ",\n";
      s += LogRangePretty(r.range, level + 1) + "\n" + Indent(level) + ")";
      if (r.grouping)
        s += GroupingPretty(*r.grouping);
      return s;
    }
    case ExprKind::kVectorAggregation: {
      const auto& v = e.As<VectorAggregationExpr>();
      std::vector<std::string> params;
      bool k_op = v.op == VectorOp::kTopK || v.op == VectorOp::kBottomK;
      if (k_op || (v.param && *v.param != 0)) {
        params.push_back(Indent(level + 1) + std::to_string(v.param.value_or(0)));
      }
      params.push_back(Pretty(*v.inner, level + 1));
      std::string s = Indent(level) + std::string(VectorOpName(v.op));
      s += GroupingPretty(v.grouping.value_or(Grouping{}));
      return s + "(\n" + JoinStrings(params, ",\n") + "\n" + Indent(level) + ")";
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<BinaryExpr>();
      return Pretty(*b.lhs, level + 1) + "\n" + Indent(level) +
             BinaryOpWithModifiers(b, /*pretty=*/true) + "\n" + Pretty(*b.rhs, level + 1);
    }
    case ExprKind::kLabelReplace: {
      const auto& l = e.As<LabelReplaceExpr>();
      std::vector<std::string> params = {
          Pretty(*l.inner, level + 1),
          Indent(level + 1) + GoQuote(l.dst),
          Indent(level + 1) + GoQuote(l.replacement),
          Indent(level + 1) + GoQuote(l.src),
          Indent(level + 1) + GoQuote(l.regex),
      };
      return Indent(level) + "label_replace(\n" + JoinStrings(params, ",\n") + "\n" +
             Indent(level) + ")";
    }
    default:
      return Indent(level) + one;
  }
}

}  // namespace

std::string Prettify(const Expr& e) {
  return Pretty(e, 0);
}

}  // namespace sluice::logql::syntax
