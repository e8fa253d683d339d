// LabelFilterExpr: the label filter tree of `| level="error" and (status >= 500 or dur > 1s)`,
// built directly by the parser and evaluated by the pipeline (Loki's label_filter.go).
//
// Leaves: a string matcher (= != =~ !~; regex anchored, via common/matcher.h), a numeric,
// duration or bytes comparison, an ip() match. Inner nodes: and / or. Immutable; copies share
// children. Semantics (logql.md §3.4):
//  - string filters compare an absent label as ""; they also read __error__/__error_details__;
//  - numeric / duration / bytes filters drop a line lacking the label, compare even when the
//    line already carries __error__ (Loki >= 3.0, grafana/loki#12378), and keep a line whose
//    value does not convert, setting __error__="LabelFilterErr" + the conversion message
//    (Go's text) as __error_details__ unless an error is already set;
//  - ip filters pass a line that already carries __error__, drop one lacking the label;
//  - `or` short-circuits, `and` evaluates both sides.
//
//   auto f = LabelFilterExpr::And(
//       LabelFilterExpr::String(*LabelMatcher::Make(MatchType::kEqual, "level", "error")),
//       LabelFilterExpr::Numeric("status", CompareOp::kGe, 500));
//   f.ToString() == R"(( level="error" , status>=500 ))";   // Loki's printing
//   std::unique_ptr<Stage> s = NewLabelFilterStage(f);
// Thread-safety: const methods may be called from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/matcher.h"
#include "common/result.h"

namespace sluice::logql::log {

class LabelsBuilder;
class Stage;

// `=` and `==` are the same operation (Loki prints both as "==" for non-string filters).
enum class CompareOp { kEq, kNe, kGt, kGe, kLt, kLe };

// "==", "!=", ">", ">=", "<", "<=".
std::string_view CompareOpSymbol(CompareOp op);

class LabelFilterExpr {
 public:
  enum class Kind { kString, kNumeric, kDuration, kBytes, kIp, kAnd, kOr };

  // `name op "value"` for a string / regex matcher.
  static LabelFilterExpr String(LabelMatcher matcher);
  // `name op 1.5`.
  static LabelFilterExpr Numeric(std::string name, CompareOp op, double value);
  // `name op 1m30s` (value in ns, as ParseGoDuration / the DURATION token gives it).
  static LabelFilterExpr Duration(std::string name, CompareOp op, int64_t value_ns);
  // `name op 5MB` (value in bytes).
  static LabelFilterExpr Bytes(std::string name, CompareOp op, uint64_t value);
  // `name = ip("192.168.0.0/16")` / `!=`. `pattern` is an address, `a-b` range or CIDR.
  // Error (InvalidArgument) when the pattern is none of those. REQUIRES: op is kEq or kNe.
  static Result<LabelFilterExpr> Ip(std::string name, CompareOp op, std::string pattern);
  static LabelFilterExpr And(LabelFilterExpr left, LabelFilterExpr right);
  static LabelFilterExpr Or(LabelFilterExpr left, LabelFilterExpr right);

  Kind kind() const;
  // Leaves: the label name. kString: matcher(). Numeric: number(). Duration: duration_ns().
  // Bytes: bytes(). Ip: ip_pattern(). And/Or: left() / right().
  const std::string& name() const;
  CompareOp op() const;
  const LabelMatcher& matcher() const;
  double number() const;
  int64_t duration_ns() const;
  uint64_t bytes() const;
  const std::string& ip_pattern() const;
  const LabelFilterExpr& left() const;
  const LabelFilterExpr& right() const;

  // Loki's String(): `level="error"`, `status>=500`, `dur>1m30s`, `size>5.0MB`,
  // `addr=ip("10.0.0.0/8")`, `( a , b )` for and, `( a or b )` for or.
  std::string ToString() const;

  // Evaluates on the current labels; may set the error labels (LabelFilterErr).
  bool Process(LabelsBuilder* lb) const;

  struct Node;  // defined in label_filter.cc

 private:
  explicit LabelFilterExpr(std::shared_ptr<const Node> node) : node_(std::move(node)) {}

  std::shared_ptr<const Node> node_;
};

// The label filter as a pipeline stage (also the post-filters after `| unwrap`).
std::unique_ptr<Stage> NewLabelFilterStage(LabelFilterExpr expr);

// Conversions used by the filters and by unwrap, with Go's error texts, e.g.
// `strconv.ParseFloat: parsing "info": invalid syntax`, `time: invalid duration "abc"`.
Result<double> ParseLabelFloat(std::string_view s);
// Go time.ParseDuration with Go's texts (`time: missing unit in duration "1"`).
Result<int64_t> ParseLabelDuration(std::string_view s);
// go-humanize ParseBytes: "5 MB", "5MiB", "10kb", "42" (bytes); case-insensitive.
Result<uint64_t> ParseHumanBytes(std::string_view s);
// Go time.Duration.String(): "1h30m0s", "300ms", "1.5s", "0s".
std::string FormatGoDuration(int64_t ns);
// go-humanize Bytes(): "500 B", "1.0 kB", "5.2 MB" (SI units).
std::string FormatHumanBytes(uint64_t v);

}  // namespace sluice::logql::log
