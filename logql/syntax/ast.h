// The LogQL abstract syntax tree: plain data produced by ParseExpr (logql/syntax/parser.h) and
// printed back by Print (logql/syntax/printer.h). Mirrors Loki's pkg/logql/syntax/ast.go, but
// holds only what a query says, never compiled state (pipelines are built by logql/log/).
//
//   Expr (kind tag + subclass)
//   ├── LogExpr                {matchers} stage*                            (ExprKind::kLog)
//   ├── RangeAggregationExpr   op([param,] LogRange) [grouping]             (kRangeAggregation)
//   │     LogRange = LogExpr + range_ns + offset_ns + optional Unwrap
//   ├── VectorAggregationExpr  op [grouping] ([param,] Expr)                (kVectorAggregation)
//   ├── BinaryExpr             Expr op [bool] [on/ignoring (...)] [group_x (...)] Expr (kBinary)
//   ├── LiteralExpr            number                                       (kLiteral)
//   ├── VectorExpr             vector(number)                               (kVector)
//   └── LabelReplaceExpr       label_replace(Expr, dst, repl, src, regex)   (kLabelReplace)
//
// Stage = std::variant of the pipeline stage structs below (line filters, parsers, label
// filters, formatters, drop/keep, decolorize). LabelFilter is the tree behind `| a > 1 or b="x"`.
//
// Conventions: every string is stored as written in the query after unquoting (regex sources,
// templates, json paths, pattern strings); durations are int64 nanoseconds; numbers are doubles
// (Inf/NaN possible only through literal folding). Stream selectors and string label filters are
// held as sluice::LabelMatcher, already validated (regexes compiled with RE2, anchored).
//
// Walking: switch on Expr::kind and cast with As<T>(), e.g.
//   if (e.kind == ExprKind::kRangeAggregation) {
//     const auto& r = e.As<RangeAggregationExpr>();  ... r.range.log->matchers ...
//   }
//   for (const Stage& s : log.stages) std::visit(overloaded{...}, s);
//
// Thread-safety: immutable after parsing; concurrent reads are safe. Nodes own their children
// (unique_ptr); use Clone() for a deep copy.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/matcher.h"

namespace sluice::logql::syntax {

// ---------------------------------------------------------------------------------------------
// Label filters (`| status >= 500`, `| level="error" or duration > 1s`, `| ip=ip("10.0.0.0/8")`).

// Comparison of a numeric / duration / bytes label filter. `=` and `==` both give kEqual.
enum class CompareOp { kEqual, kNotEqual, kGreater, kGreaterEqual, kLess, kLessEqual };

// "==", "!=", ">", ">=", "<", "<=" (Loki prints numeric equality as "==").
std::string_view CompareOpSymbol(CompareOp op);

struct LabelFilter;

// `name op "value"` with op one of = != =~ !~ (regex anchored). A missing label reads as "".
struct StringLabelFilter {
  LabelMatcher matcher;
};

// `name op number`: the label value parsed as a float (200.0 == 200). `name = -1.5` allowed.
struct NumericLabelFilter {
  std::string name;
  CompareOp op = CompareOp::kEqual;
  double value = 0;
};

// `name op 1h30m`: the label value parsed as a Go duration. `value_ns` may be negative.
struct DurationLabelFilter {
  std::string name;
  CompareOp op = CompareOp::kEqual;
  int64_t value_ns = 0;
};

// `name op 20MB`: the label value parsed as a humanized byte size.
struct BytesLabelFilter {
  std::string name;
  CompareOp op = CompareOp::kEqual;
  uint64_t value = 0;
};

// `name = ip("pattern")` / `name != ip("pattern")`: pattern is an address, `a-b` range or CIDR,
// not validated by the parser (logql/log/ compiles it).
struct IpLabelFilter {
  std::string name;
  bool negate = false;  // true for !=
  std::string pattern;
};

// `left and right` (also written `left, right` or `left right`) / `left or right`.
struct BinaryLabelFilter {
  bool is_or = false;
  std::unique_ptr<LabelFilter> left;   // never null
  std::unique_ptr<LabelFilter> right;  // never null
};

struct LabelFilter {
  std::variant<StringLabelFilter, NumericLabelFilter, DurationLabelFilter, BytesLabelFilter,
               IpLabelFilter, BinaryLabelFilter>
      node;
};

// ---------------------------------------------------------------------------------------------
// Pipeline stages.

// |=  !=  |~  !~  |>  !>
enum class LineFilterOp { kContains, kNotContains, kRegex, kNotRegex, kPattern, kNotPattern };

// "|=", "!=", "|~", "!~", "|>", "!>".
std::string_view LineFilterOpSymbol(LineFilterOp op);

// One operand of a line filter: a string (substring / regex / pattern) or `ip("...")`.
struct LineFilterArg {
  std::string value;
  bool is_ip = false;  // `ip("value")`: only with |= and != (Loki rejects others when building)
};

// `op arg (or arg)*`. All args share `op`: for positive ops the stage keeps a line if ANY arg
// matches; for negative ops (!= !~ !>) only if NO arg matches. args is never empty.
// Consecutive line filters are separate stages (they AND).
struct LineFilterStage {
  LineFilterOp op = LineFilterOp::kContains;
  std::vector<LineFilterArg> args;
};

// `name="expression"` of `json` / `logfmt` with parameters; bare `name` has expression == name.
// For json the expression is a path (`a.b`, `a["k"]`, `list[0]`); for logfmt a key.
struct LabelExtraction {
  std::string name;
  std::string expression;
};

// `| json` (all fields, flattened) or `| json a="path", b` (only those).
struct JsonParserStage {
  std::vector<LabelExtraction> extractions;  // empty: extract everything
};

// `| logfmt [--strict] [--keep-empty] [a="key", b]`.
struct LogfmtParserStage {
  bool strict = false;
  bool keep_empty = false;
  std::vector<LabelExtraction> extractions;  // empty: extract everything
};

// `| regexp "re"`: RE2 source with named groups (validated by the parser: >= 1 named group).
struct RegexpParserStage {
  std::string regex;
};

// `| pattern "<a> - <_> <b>"` (validated by the parser: >= 1 named capture, no adjacent
// captures, unique names).
struct PatternParserStage {
  std::string pattern;
};

// `| unpack`.
struct UnpackParserStage {};

// `| <label filter>`.
struct LabelFilterStage {
  LabelFilter filter;
};

// `| line_format "template"` (Go text/template source).
struct LineFormatStage {
  std::string tmpl;
};

// One assignment of label_format: `dst=src` (rename) or `dst="template"`.
struct LabelFormatAssignment {
  std::string dst;
  std::string value;  // source label name if is_rename, else template source
  bool is_rename = false;
};

// `| label_format a=b, c="{{.d}}"`.
struct LabelFormatStage {
  std::vector<LabelFormatAssignment> assignments;  // never empty
};

// `| decolorize`.
struct DecolorizeStage {};

// An operand of drop/keep: a bare name, or a matcher (`name="v"`, any of = != =~ !~).
struct NamedMatcher {
  std::string name;                     // always set (== matcher->name() when matcher is set)
  std::optional<LabelMatcher> matcher;  // unset for a bare name
};

// `| drop a, b="x"`.
struct DropStage {
  std::vector<NamedMatcher> labels;  // never empty
};

// `| keep a, b="x"`.
struct KeepStage {
  std::vector<NamedMatcher> labels;  // never empty
};

using Stage = std::variant<LineFilterStage, JsonParserStage, LogfmtParserStage, RegexpParserStage,
                           PatternParserStage, UnpackParserStage, LabelFilterStage, LineFormatStage,
                           LabelFormatStage, DecolorizeStage, DropStage, KeepStage>;

// ---------------------------------------------------------------------------------------------
// Expressions.

enum class ExprKind {
  kLog,
  kRangeAggregation,
  kVectorAggregation,
  kBinary,
  kLiteral,
  kVector,
  kLabelReplace,
};

struct Expr {
  explicit Expr(ExprKind k) : kind(k) {}

  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  // True for every kind but kLog (a sample expression in Loki's terms).
  bool IsMetric() const { return kind != ExprKind::kLog; }

  // REQUIRES: kind matches T (checked with assert).
  template <typename T>
  const T& As() const;
  template <typename T>
  T& As();

  const ExprKind kind;
};

// A log query: `{matchers} stage*`. Also the inside of a LogRange.
struct LogExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kLog;

  LogExpr() : Expr(kKind) {}

  Matchers matchers;  // never empty after ParseExpr (validated: >= 1 not matching "")
  std::vector<Stage> stages;
};

// `| unwrap [conv(]label[)] (| label filter)*` inside a range aggregation.
enum class UnwrapConversion { kNone, kBytes, kDuration, kDurationSeconds };

// "", "bytes", "duration", "duration_seconds".
std::string_view UnwrapConversionName(UnwrapConversion c);

struct Unwrap {
  std::string label;
  UnwrapConversion conversion = UnwrapConversion::kNone;
  std::vector<LabelFilter> post_filters;  // `| unwrap x | __error__=""`: applied after unwrap
};

// The `{...} | stages [5m] offset 1h` argument of a range aggregation, wherever the range was
// written (`{a="b"}[5m] | json` and `{a="b"} | json [5m]` give the same LogRange).
struct LogRange {
  std::unique_ptr<LogExpr> log;  // never null
  int64_t range_ns = 0;          // > 0 not guaranteed: `[0s]` parses (Loki too)
  int64_t offset_ns = 0;         // 0 when absent; may be negative (`offset -5m`)
  std::optional<Unwrap> unwrap;
};

enum class RangeOp {
  kCountOverTime,
  kRate,
  kRateCounter,
  kBytesOverTime,
  kBytesRate,
  kAvgOverTime,
  kSumOverTime,
  kMinOverTime,
  kMaxOverTime,
  kStdvarOverTime,
  kStddevOverTime,
  kQuantileOverTime,
  kFirstOverTime,
  kLastOverTime,
  kAbsentOverTime,
};

// "count_over_time", "rate", ... as written in LogQL.
std::string_view RangeOpName(RangeOp op);

// `by (a, b)` / `without (a)` / `by ()`.
struct Grouping {
  bool without = false;
  std::vector<std::string> labels;
};

struct RangeAggregationExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kRangeAggregation;

  RangeAggregationExpr() : Expr(kKind) {}

  RangeOp op = RangeOp::kCountOverTime;
  LogRange range;
  std::optional<double> param;       // quantile_over_time's φ (set iff op is quantile)
  std::optional<Grouping> grouping;  // trailing `by`/`without` (unwrapped ops only)
};

enum class VectorOp {
  kSum,
  kAvg,
  kCount,
  kMax,
  kMin,
  kStddev,
  kStdvar,
  kBottomK,
  kTopK,
  kSort,
  kSortDesc,
  kApproxTopK,
};

// "sum", "avg", ..., "sort_desc", "approx_topk".
std::string_view VectorOpName(VectorOp op);

struct VectorAggregationExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kVectorAggregation;

  VectorAggregationExpr() : Expr(kKind) {}

  VectorOp op = VectorOp::kSum;
  std::unique_ptr<Expr> inner;       // never null; IsMetric()
  std::optional<Grouping> grouping;  // unset: no clause (one group, as `by ()`)
  std::optional<int64_t> param;      // k of topk / bottomk / approx_topk (> 0); unset otherwise
};

enum class BinaryOp {
  kOr,
  kAnd,
  kUnless,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kEqual,  // ==
  kNotEqual,
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
};

// "or", "and", "unless", "+", "-", "*", "/", "%", "^", "==", "!=", ">", ">=", "<", "<=".
std::string_view BinaryOpSymbol(BinaryOp op);
// True for == != > >= < <=.
bool IsComparison(BinaryOp op);
// True for and / or / unless.
bool IsSetOperator(BinaryOp op);

enum class Cardinality { kOneToOne, kManyToOne /* group_left */, kOneToMany /* group_right */ };

// on(...) / ignoring(...) and group_left(...) / group_right(...).
struct VectorMatching {
  bool on = false;                  // true: match on `labels`; false: ignoring `labels`
  std::vector<std::string> labels;  // `ignoring ()` and no clause are equivalent
  Cardinality card = Cardinality::kOneToOne;
  std::vector<std::string> include;  // group_left(include...) / group_right(include...)
};

struct BinaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;

  BinaryExpr() : Expr(kKind) {}

  BinaryOp op = BinaryOp::kAdd;
  std::unique_ptr<Expr> lhs;  // never null; IsMetric()
  std::unique_ptr<Expr> rhs;  // never null; IsMetric()
  bool return_bool = false;   // `> bool`
  VectorMatching matching;
  // Note: literal op literal is folded into a LiteralExpr by the parser, as Loki does.
};

// A number (sign included): `5`, `-1.5`, `1e3`. Evaluates to a scalar.
struct LiteralExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kLiteral;

  LiteralExpr() : Expr(kKind) {}

  explicit LiteralExpr(double v) : Expr(kKind), value(v) {}

  double value = 0;
};

// `vector(5)`: a one-sample vector with no labels at every step.
struct VectorExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kVector;

  VectorExpr() : Expr(kKind) {}

  double value = 0;
};

// label_replace(inner, "dst", "replacement", "src", "regex"); regex validated (RE2).
struct LabelReplaceExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kLabelReplace;

  LabelReplaceExpr() : Expr(kKind) {}

  std::unique_ptr<Expr> inner;  // never null; IsMetric()
  std::string dst;
  std::string replacement;
  std::string src;
  std::string regex;
};

template <typename T>
const T& Expr::As() const {
  static_assert(std::is_base_of_v<Expr, T>);
  assert(kind == T::kKind);
  return static_cast<const T&>(*this);
}

template <typename T>
T& Expr::As() {
  static_assert(std::is_base_of_v<Expr, T>);
  assert(kind == T::kKind);
  return static_cast<T&>(*this);
}

// Deep copies.
std::unique_ptr<Expr> Clone(const Expr& e);
LabelFilter Clone(const LabelFilter& f);
Stage Clone(const Stage& s);

// Helper for std::visit over Stage / LabelFilter::node:
//   std::visit(Overloaded{[](const JsonParserStage&) {...}, [](const auto&) {...}}, stage);
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace sluice::logql::syntax
