#include "logql/log/label_filter.h"

#include <charconv>
#include <cmath>
#include <optional>

#include "common/labels.h"
#include "logql/log/ip_matcher.h"
#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

namespace sluice::logql::log {

struct LabelFilterExpr::Node {
  Kind kind = Kind::kString;
  std::string name;
  CompareOp op = CompareOp::kEq;
  std::optional<LabelMatcher> matcher;
  double number = 0;
  int64_t duration_ns = 0;
  uint64_t bytes = 0;
  std::string ip_pattern;
  std::optional<IpMatcher> ip;
  std::optional<LabelFilterExpr> left, right;
};

namespace {

template <typename T>
bool Compare(CompareOp op, T a, T b) {
  switch (op) {
    case CompareOp::kEq:
      return a == b;
    case CompareOp::kNe:
      return a != b;
    case CompareOp::kGt:
      return a > b;
    case CompareOp::kGe:
      return a >= b;
    case CompareOp::kLt:
      return a < b;
    case CompareOp::kLe:
      return a <= b;
  }
  return false;
}

// `parse(value) op want`; a value `parse` rejects sets *err (the caller turns it into
// __error__) and keeps the entry.
template <typename Parse, typename T>
bool ParseAndCompare(Parse parse, std::string_view value, CompareOp op, T want, Status* err) {
  auto r = parse(value);
  if (!r.ok()) {
    *err = r.status();
    return true;
  }
  return Compare(op, *r, want);
}

// strconv.FormatFloat(v, 'f', -1, 64).
std::string FormatFloatF(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

class LabelFilterStage final : public Stage {
 public:
  explicit LabelFilterStage(LabelFilterExpr e) : e_(std::move(e)) {}

  bool Process(int64_t, std::string_view*, LabelsBuilder* lb) override { return e_.Process(lb); }

 private:
  LabelFilterExpr e_;
};

}  // namespace

std::string_view CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "==";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
  }
  return "?";
}

LabelFilterExpr LabelFilterExpr::String(LabelMatcher matcher) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kString;
  n->name = matcher.name();
  n->matcher = std::move(matcher);
  return LabelFilterExpr(std::move(n));
}

LabelFilterExpr LabelFilterExpr::Numeric(std::string name, CompareOp op, double value) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kNumeric;
  n->name = std::move(name);
  n->op = op;
  n->number = value;
  return LabelFilterExpr(std::move(n));
}

LabelFilterExpr LabelFilterExpr::Duration(std::string name, CompareOp op, int64_t value_ns) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kDuration;
  n->name = std::move(name);
  n->op = op;
  n->duration_ns = value_ns;
  return LabelFilterExpr(std::move(n));
}

LabelFilterExpr LabelFilterExpr::Bytes(std::string name, CompareOp op, uint64_t value) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kBytes;
  n->name = std::move(name);
  n->op = op;
  n->bytes = value;
  return LabelFilterExpr(std::move(n));
}

Result<LabelFilterExpr> LabelFilterExpr::Ip(std::string name, CompareOp op, std::string pattern) {
  if (op != CompareOp::kEq && op != CompareOp::kNe) {
    return InvalidArgumentError("ip: invalid operation");
  }
  SLUICE_ASSIGN_OR_RETURN(IpMatcher m, IpMatcher::Make(pattern));
  auto n = std::make_shared<Node>();
  n->kind = Kind::kIp;
  n->name = std::move(name);
  n->op = op;
  n->ip_pattern = std::move(pattern);
  n->ip = std::move(m);
  return LabelFilterExpr(std::move(n));
}

LabelFilterExpr LabelFilterExpr::And(LabelFilterExpr left, LabelFilterExpr right) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kAnd;
  n->left = std::move(left);
  n->right = std::move(right);
  return LabelFilterExpr(std::move(n));
}

LabelFilterExpr LabelFilterExpr::Or(LabelFilterExpr left, LabelFilterExpr right) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kOr;
  n->left = std::move(left);
  n->right = std::move(right);
  return LabelFilterExpr(std::move(n));
}

LabelFilterExpr::Kind LabelFilterExpr::kind() const {
  return node_->kind;
}

const std::string& LabelFilterExpr::name() const {
  return node_->name;
}

CompareOp LabelFilterExpr::op() const {
  return node_->op;
}

const LabelMatcher& LabelFilterExpr::matcher() const {
  return *node_->matcher;
}

double LabelFilterExpr::number() const {
  return node_->number;
}

int64_t LabelFilterExpr::duration_ns() const {
  return node_->duration_ns;
}

uint64_t LabelFilterExpr::bytes() const {
  return node_->bytes;
}

const std::string& LabelFilterExpr::ip_pattern() const {
  return node_->ip_pattern;
}

const LabelFilterExpr& LabelFilterExpr::left() const {
  return *node_->left;
}

const LabelFilterExpr& LabelFilterExpr::right() const {
  return *node_->right;
}

std::string LabelFilterExpr::ToString() const {
  const Node& n = *node_;
  std::string op(CompareOpSymbol(n.op));
  switch (n.kind) {
    case Kind::kString:
      return n.matcher->ToString();
    case Kind::kNumeric:
      return n.name + op + FormatFloatF(n.number);
    case Kind::kDuration:
      return n.name + op + FormatGoDuration(n.duration_ns);
    case Kind::kBytes: {
      std::string b = FormatHumanBytes(n.bytes);
      std::erase(b, ' ');
      return n.name + op + b;
    }
    case Kind::kIp: {
      std::string out = n.name + (n.op == CompareOp::kNe ? "!=" : "=") + "ip(";
      AppendQuoted(n.ip_pattern, &out);
      return out + ")";
    }
    case Kind::kAnd:
    case Kind::kOr:
      return "( " + n.left->ToString() + (n.kind == Kind::kAnd ? " , " : " or ") +
             n.right->ToString() + " )";
  }
  return "";
}

bool LabelFilterExpr::Process(LabelsBuilder* lb) const {
  const Node& n = *node_;
  switch (n.kind) {
    case Kind::kAnd: {
      bool l = n.left->Process(lb);
      bool r = n.right->Process(lb);
      return l && r;
    }
    case Kind::kOr:
      return n.left->Process(lb) || n.right->Process(lb);
    case Kind::kString:
      return n.matcher->Matches(lb->GetOrEmpty(n.name));
    case Kind::kIp: {
      if (lb->HasError())
        return true;
      auto v = lb->Get(n.name);
      if (!v)
        return false;
      bool m = n.ip->MatchesAddress(*v);
      return n.op == CompareOp::kNe ? !m : m;
    }
    default:
      break;
  }
  auto v = lb->Get(n.name);
  if (!v)
    return false;
  Status err;
  bool keep = true;
  switch (n.kind) {
    case Kind::kNumeric:
      keep = ParseAndCompare(ParseLabelFloat, *v, n.op, n.number, &err);
      break;
    case Kind::kDuration:
      keep = ParseAndCompare(ParseLabelDuration, *v, n.op, n.duration_ns, &err);
      break;
    default:
      keep = ParseAndCompare(ParseHumanBytes, *v, n.op, n.bytes, &err);
  }
  if (!err.ok()) {
    if (!lb->HasError())
      lb->SetError(kLabelFilterErr, err.message());
    return true;
  }
  return keep;
}

std::unique_ptr<Stage> NewLabelFilterStage(LabelFilterExpr expr) {
  return std::make_unique<LabelFilterStage>(std::move(expr));
}

}  // namespace sluice::logql::log
