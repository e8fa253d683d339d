#include "logql/syntax/printer.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "logql/syntax/go_format.h"
#include "logql/syntax/print_util.h"
#include "logql/syntax/unicode_util.h"

namespace sluice::logql::syntax {

namespace {

std::string MatcherString(const LabelMatcher& m) {
  return m.name() + std::string(MatchTypeSymbol(m.type())) + GoQuote(m.value());
}

// Loki prints a regex label filter it cannot reduce to literal matching with its source in
// backticks (double-quoted when it contains a backtick). Its simplifier handles literals,
// alternations and `.*`; we approximate "not reducible" by the presence of other regex syntax.
std::string StringFilterString(const LabelMatcher& m) {
  bool regex = m.type() == MatchType::kRegex || m.type() == MatchType::kNotRegex;
  if (!regex || m.value().find_first_of("\\[]{}?+^$") == std::string::npos) {
    return MatcherString(m);
  }
  std::string v =
      m.value().find('`') == std::string::npos ? "`" + m.value() + "`" : GoQuote(m.value());
  return m.name() + std::string(MatchTypeSymbol(m.type())) + v;
}

std::string ExtractionsString(const std::vector<LabelExtraction>& ex) {
  std::vector<std::string> parts;
  for (const LabelExtraction& e : ex)
    parts.push_back(e.name + "=" + GoQuote(e.expression));
  return JoinStrings(parts, ",");
}

std::string NamedMatchersString(const std::vector<NamedMatcher>& v) {
  std::vector<std::string> parts;
  for (const NamedMatcher& n : v)
    parts.push_back(n.matcher ? MatcherString(*n.matcher) : n.name);
  return JoinStrings(parts, ",");
}

std::string GroupingString(const Grouping& g) {
  return std::string(g.without ? " without (" : " by (") + JoinStrings(g.labels, ",") + ")";
}

std::string LogString(const LogExpr& log) {
  std::vector<std::string> ms;
  for (const LabelMatcher& m : log.matchers)
    ms.push_back(MatcherString(m));
  std::string out = "{" + JoinStrings(ms, ", ") + "}";
  if (log.stages.empty())
    return out;
  out += " ";
  for (size_t i = 0; i < log.stages.size(); ++i) {
    if (i > 0)
      out += " ";
    const auto* lf = std::get_if<LineFilterStage>(&log.stages[i]);
    bool follows_filter = i > 0 && std::holds_alternative<LineFilterStage>(log.stages[i - 1]);
    if (lf != nullptr && follows_filter && IsNegativeLineFilter(lf->op) && lf->args.size() > 1) {
      // Loki rewrites `!= "a" or "b"` after another line filter into `!= "a" != "b"`.
      for (size_t k = 0; k < lf->args.size(); ++k) {
        if (k > 0)
          out += " ";
        out += std::string(LineFilterOpSymbol(lf->op)) + " " + LineFilterArgString(lf->args[k]);
      }
      continue;
    }
    out += Print(log.stages[i]);
  }
  return out;
}

std::string UnwrapString(const Unwrap& u) {
  std::string out = " | unwrap ";
  if (u.conversion == UnwrapConversion::kNone) {
    out += u.label;
  } else {
    out += std::string(UnwrapConversionName(u.conversion)) + "(" + u.label + ")";
  }
  for (const LabelFilter& f : u.post_filters)
    out += " | " + Print(f);
  return out;
}

}  // namespace

std::string Print(const LogRange& r) {
  std::string out = LogString(*r.log);
  if (r.unwrap)
    out += UnwrapString(*r.unwrap);
  out += "[" + FormatPromDurationNs(r.range_ns) + "]";
  if (r.offset_ns != 0)
    out += " offset " + FormatGoDuration(r.offset_ns);
  return out;
}

std::string Print(const LabelFilter& f) {
  return std::visit(
      Overloaded{
          [](const StringLabelFilter& s) { return StringFilterString(s.matcher); },
          [](const NumericLabelFilter& n) {
            return n.name + std::string(CompareOpSymbol(n.op)) + FormatFloat(n.value);
          },
          [](const DurationLabelFilter& d) {
            return d.name + std::string(CompareOpSymbol(d.op)) + FormatGoDuration(d.value_ns);
          },
          [](const BytesLabelFilter& b) {
            return b.name + std::string(CompareOpSymbol(b.op)) + FormatHumanBytes(b.value);
          },
          [](const IpLabelFilter& ip) {
            return ip.name + (ip.negate ? "!=" : "=") + "ip(" + GoQuote(ip.pattern) + ")";
          },
          [](const BinaryLabelFilter& b) {
            return "( " + Print(*b.left) + (b.is_or ? " or " : " , ") + Print(*b.right) + " )";
          },
      },
      f.node);
}

std::string Print(const Stage& s) {
  return std::visit(
      Overloaded{
          [](const LineFilterStage& f) {
            std::string out = std::string(LineFilterOpSymbol(f.op)) + " ";
            for (size_t i = 0; i < f.args.size(); ++i) {
              if (i > 0)
                out += " or ";
              out += LineFilterArgString(f.args[i]);
            }
            return out;
          },
          [](const JsonParserStage& j) {
            return j.extractions.empty() ? std::string("| json")
                                         : "| json " + ExtractionsString(j.extractions);
          },
          [](const LogfmtParserStage& l) {
            if (l.extractions.empty()) {
              return std::string("| logfmt") + (l.strict ? " --strict" : "") +
                     (l.keep_empty ? " --keep-empty" : "");
            }
            return std::string("| logfmt ") + (l.strict ? "--strict " : "") +
                   (l.keep_empty ? "--keep-empty " : "") + ExtractionsString(l.extractions);
          },
          [](const RegexpParserStage& r) { return "| regexp " + GoQuote(r.regex); },
          [](const PatternParserStage& p) { return "| pattern " + GoQuote(p.pattern); },
          [](const UnpackParserStage&) { return std::string("| unpack"); },
          [](const LabelFilterStage& lf) { return "| " + Print(lf.filter); },
          [](const LineFormatStage& l) { return "| line_format " + GoQuote(l.tmpl); },
          [](const LabelFormatStage& l) {
            std::vector<std::string> parts;
            for (const LabelFormatAssignment& a : l.assignments) {
              parts.push_back(a.dst + "=" + (a.is_rename ? a.value : GoQuote(a.value)));
            }
            return "| label_format " + JoinStrings(parts, ",");
          },
          [](const DecolorizeStage&) { return std::string("| decolorize"); },
          [](const DropStage& d) { return "| drop " + NamedMatchersString(d.labels); },
          [](const KeepStage& k) { return "| keep " + NamedMatchersString(k.labels); },
      },
      s);
}

std::string Print(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLog:
      return LogString(e.As<LogExpr>());
    case ExprKind::kRangeAggregation: {
      const auto& r = e.As<RangeAggregationExpr>();
      std::string out = std::string(RangeOpName(r.op)) + "(";
      if (r.param)
        out += FormatFloat(*r.param) + ",";
      out += Print(r.range) + ")";
      if (r.grouping)
        out += GroupingString(*r.grouping);
      return out;
    }
    case ExprKind::kVectorAggregation: {
      const auto& v = e.As<VectorAggregationExpr>();
      std::string out(VectorOpName(v.op));
      if (v.grouping && (v.grouping->without || !v.grouping->labels.empty())) {
        out += GroupingString(*v.grouping);
      }
      out += "(";
      if (v.param)
        out += std::to_string(*v.param) + ",";
      return out + Print(*v.inner) + ")";
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<BinaryExpr>();
      return "(" + Print(*b.lhs) + " " + BinaryOpWithModifiers(b, /*pretty=*/false) + " " +
             Print(*b.rhs) + ")";
    }
    case ExprKind::kLiteral:
      return FormatGoFloatV(e.As<LiteralExpr>().value);
    case ExprKind::kVector: {
      char buf[512];
      std::snprintf(buf, sizeof(buf), "%f", e.As<VectorExpr>().value);
      return std::string("vector(") + buf + ")";
    }
    case ExprKind::kLabelReplace: {
      const auto& l = e.As<LabelReplaceExpr>();
      return "label_replace(" + Print(*l.inner) + "," + GoQuote(l.dst) + "," +
             GoQuote(l.replacement) + "," + GoQuote(l.src) + "," + GoQuote(l.regex) + ")";
    }
  }
  return "";
}

}  // namespace sluice::logql::syntax
