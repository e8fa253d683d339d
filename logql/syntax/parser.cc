#include "logql/syntax/parser.h"

#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "logql/syntax/parser_impl.h"

namespace sluice::logql::syntax {

namespace {

struct BinOpInfo {
  BinaryOp op;
  int prec;
};

std::optional<BinOpInfo> BinOpOf(TokenType t) {
  switch (t) {
    case TokenType::kOr:
      return BinOpInfo{BinaryOp::kOr, 1};
    case TokenType::kAnd:
      return BinOpInfo{BinaryOp::kAnd, 2};
    case TokenType::kUnless:
      return BinOpInfo{BinaryOp::kUnless, 2};
    case TokenType::kCmpEq:
      return BinOpInfo{BinaryOp::kEqual, 3};
    case TokenType::kNeq:
      return BinOpInfo{BinaryOp::kNotEqual, 3};
    case TokenType::kGt:
      return BinOpInfo{BinaryOp::kGreater, 3};
    case TokenType::kGte:
      return BinOpInfo{BinaryOp::kGreaterEqual, 3};
    case TokenType::kLt:
      return BinOpInfo{BinaryOp::kLess, 3};
    case TokenType::kLte:
      return BinOpInfo{BinaryOp::kLessEqual, 3};
    case TokenType::kAdd:
      return BinOpInfo{BinaryOp::kAdd, 4};
    case TokenType::kSub:
      return BinOpInfo{BinaryOp::kSub, 4};
    case TokenType::kMul:
      return BinOpInfo{BinaryOp::kMul, 5};
    case TokenType::kDiv:
      return BinOpInfo{BinaryOp::kDiv, 5};
    case TokenType::kMod:
      return BinOpInfo{BinaryOp::kMod, 5};
    case TokenType::kPow:
      return BinOpInfo{BinaryOp::kPow, 6};
    default:
      return std::nullopt;
  }
}

// Loki folds literal ⊕ literal at parse time (comparisons give 1 / 0 even without bool).
double Fold(BinaryOp op, double l, double r) {
  switch (op) {
    case BinaryOp::kAdd:
      return l + r;
    case BinaryOp::kSub:
      return l - r;
    case BinaryOp::kMul:
      return l * r;
    case BinaryOp::kDiv:
      return r == 0 ? std::nan("") : l / r;
    case BinaryOp::kMod:
      return r == 0 ? std::nan("") : std::fmod(l, r);
    case BinaryOp::kPow:
      return std::pow(l, r);
    case BinaryOp::kEqual:
      return l == r ? 1 : 0;
    case BinaryOp::kNotEqual:
      return l != r ? 1 : 0;
    case BinaryOp::kGreater:
      return l > r ? 1 : 0;
    case BinaryOp::kGreaterEqual:
      return l >= r ? 1 : 0;
    case BinaryOp::kLess:
      return l < r ? 1 : 0;
    case BinaryOp::kLessEqual:
      return l <= r ? 1 : 0;
    default:
      return 0;
  }
}

// Go's %T of a log selector leg.
std::string GoTypeName(const Expr& e) {
  return e.As<LogExpr>().stages.empty() ? "*syntax.MatchersExpr" : "*syntax.PipelineExpr";
}

// Go's %f.
std::string GoPercentF(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%f", v);
  return buf;
}

}  // namespace

Status SemanticError(std::string msg) {
  return InvalidArgumentError("parse error : " + msg);
}

bool GoParseFloat(std::string_view text, double* out, std::string* error) {
  auto fail = [&](std::string_view why) {
    *error = "strconv.ParseFloat: parsing \"" + std::string(text) + "\": " + std::string(why);
    return false;
  };
  std::string s(text);
  bool hex = s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (s.find('_') != std::string::npos) {
    // Go accepts underscores only after a base prefix (and ParseFloat only knows 0x).
    if (!hex)
      return fail("invalid syntax");
    std::erase(s, '_');
  }
  if (hex) {
    if (s.find_first_of("pP") == std::string::npos)
      return fail("invalid syntax");
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size())
      return fail("invalid syntax");
    if (errno == ERANGE && std::isinf(v))
      return fail("value out of range");
    *out = v;
    return true;
  }
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return fail("invalid syntax");
    }
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (p != s.data() + s.size())
    return fail("invalid syntax");
  if (ec == std::errc::result_out_of_range) {
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    if (std::isinf(v))
      return fail("value out of range");
  } else if (ec != std::errc()) {
    return fail("invalid syntax");
  }
  *out = v;
  return true;
}

Parser::Parser(std::string_view input) : toks_(Lex(input)), input_size_(input.size()) {}

const Token& Parser::Ahead(size_t n) const {
  size_t i = pos_ + n;
  return i < toks_.size() ? toks_[i] : toks_.back();
}

bool Parser::Accept(TokenType t) {
  if (!Is(t))
    return false;
  ++pos_;
  return true;
}

Status Parser::Unexpected(std::initializer_list<std::string_view> expecting) const {
  const Token& t = Cur();
  std::string msg;
  if (t.type == TokenType::kError) {
    msg = t.text;
  } else {
    msg = "syntax error: unexpected " + TokenName(t);
    bool first = true;
    for (std::string_view e : expecting) {
      msg += first ? ", expecting " : " or ";
      msg += e;
      first = false;
    }
  }
  return InvalidArgumentError("parse error at line " + std::to_string(t.line) + ", col " +
                              std::to_string(t.col) + ": " + msg);
}

Status Parser::Expect(TokenType t, std::initializer_list<std::string_view> expecting) {
  if (Accept(t))
    return Status::Ok();
  return Unexpected(expecting);
}

Result<std::string> Parser::ExpectString(std::initializer_list<std::string_view> expecting) {
  if (!Is(TokenType::kString))
    return Unexpected(expecting);
  return std::move(toks_[pos_++].text);
}

void Parser::Defer(const Expr* e, std::string msg) {
  deferred_.emplace(e, std::move(msg));
}

Result<std::unique_ptr<Expr>> Parser::Run() {
  if (input_size_ >= kMaxQuerySize) {
    return SemanticError("input size too long (" + std::to_string(input_size_) + " > " +
                         std::to_string(kMaxQuerySize) + ")");
  }
  SLUICE_ASSIGN_OR_RETURN(ExprPtr e, ParseBinary(0));
  if (!Is(TokenType::kEnd))
    return Unexpected();
  SLUICE_RETURN_IF_ERROR(Validate(*e));
  return e;
}

Result<Parser::ExprPtr> Parser::ParseBinary(int min_prec) {
  SLUICE_ASSIGN_OR_RETURN(ExprPtr lhs, ParseOperand());
  while (true) {
    std::optional<BinOpInfo> info = BinOpOf(Cur().type);
    if (!info || info->prec < min_prec)
      break;
    ++pos_;
    auto b = std::make_unique<BinaryExpr>();
    b->op = info->op;
    SLUICE_RETURN_IF_ERROR(ParseBinaryModifiers(b.get()));
    int next_prec = info->op == BinaryOp::kPow ? info->prec : info->prec + 1;
    SLUICE_ASSIGN_OR_RETURN(ExprPtr rhs, ParseBinary(next_prec));
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    lhs = MakeBinary(std::move(b));
  }
  return lhs;
}

Status Parser::ParseBinaryModifiers(BinaryExpr* b) {
  b->return_bool = Accept(TokenType::kBool);
  if (Is(TokenType::kOn) || Is(TokenType::kIgnoring)) {
    b->matching.on = Is(TokenType::kOn);
    ++pos_;
    SLUICE_ASSIGN_OR_RETURN(b->matching.labels, ParseLabelList());
    if (Is(TokenType::kGroupLeft) || Is(TokenType::kGroupRight)) {
      b->matching.card =
          Is(TokenType::kGroupLeft) ? Cardinality::kManyToOne : Cardinality::kOneToMany;
      ++pos_;
      if (Is(TokenType::kOpenParen)) {
        SLUICE_ASSIGN_OR_RETURN(b->matching.include, ParseLabelList());
      }
    }
  }
  return Status::Ok();
}

Parser::ExprPtr Parser::MakeBinary(std::unique_ptr<BinaryExpr> b) {
  std::string op(BinaryOpSymbol(b->op));
  if (!b->lhs->IsMetric()) {
    std::string msg =
        "unexpected type for left leg of binary operation (" + op + "): " + GoTypeName(*b->lhs);
    Defer(b.get(), std::move(msg));
    return b;
  }
  if (!b->rhs->IsMetric()) {
    std::string msg =
        "unexpected type for right leg of binary operation (" + op + "): " + GoTypeName(*b->rhs);
    Defer(b.get(), std::move(msg));
    return b;
  }
  bool l_lit = b->lhs->kind == ExprKind::kLiteral;
  bool r_lit = b->rhs->kind == ExprKind::kLiteral;
  // A literal that failed to parse carries its own deferred error; Loki reports it here.
  for (const Expr* leg : {b->lhs.get(), b->rhs.get()}) {
    auto it = deferred_.find(leg);
    if (leg->kind == ExprKind::kLiteral && it != deferred_.end()) {
      Defer(b.get(), it->second);
      return b;
    }
  }
  if (IsSetOperator(b->op)) {
    if (l_lit || r_lit) {
      const Expr& lit = l_lit ? *b->lhs : *b->rhs;
      Defer(b.get(), std::string("unexpected literal for ") + (l_lit ? "left" : "right") +
                         " leg of logical/set binary operation (" + op +
                         "): " + GoPercentF(lit.As<LiteralExpr>().value));
      return b;
    }
  }
  if (l_lit && r_lit) {
    return std::make_unique<LiteralExpr>(
        Fold(b->op, b->lhs->As<LiteralExpr>().value, b->rhs->As<LiteralExpr>().value));
  }
  return b;
}

Result<Parser::ExprPtr> Parser::ParseOperand() {
  switch (Cur().type) {
    case TokenType::kOpenBrace: {
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<LogExpr> log, ParseSelector());
      SLUICE_RETURN_IF_ERROR(ParseStages(&log->stages, nullptr));
      return ExprPtr(std::move(log));
    }
    case TokenType::kOpenParen: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(ExprPtr inner, ParseBinary(0));
      SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen));
      return inner;
    }
    case TokenType::kNumber:
    case TokenType::kAdd:
    case TokenType::kSub:
      return ParseLiteral();
    case TokenType::kRangeOp:
      return ParseRangeAggregation();
    case TokenType::kVectorOp:
      return ParseVectorAggregation();
    case TokenType::kVector:
      return ParseVector();
    case TokenType::kLabelReplace:
      return ParseLabelReplace();
    default:
      return Unexpected();
  }
}

Result<Parser::ExprPtr> Parser::ParseLiteral() {
  bool negate = false;
  if (Is(TokenType::kAdd) || Is(TokenType::kSub)) {
    negate = Is(TokenType::kSub);
    ++pos_;
    if (!Is(TokenType::kNumber))
      return Unexpected({"NUMBER"});
  }
  const std::string& text = toks_[pos_++].text;
  double v = 0;
  std::string err;
  bool ok = GoParseFloat(text, &v, &err);
  auto lit = std::make_unique<LiteralExpr>(negate ? -v : v);
  if (!ok)
    Defer(lit.get(), "unable to parse literal as a float: " + err);
  return ExprPtr(std::move(lit));
}

Result<Parser::ExprPtr> Parser::ParseVector() {
  ++pos_;  // vector
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen));
  if (!Is(TokenType::kNumber))
    return Unexpected({"NUMBER"});
  const std::string& text = toks_[pos_++].text;
  auto v = std::make_unique<VectorExpr>();
  std::string err;
  if (!GoParseFloat(text, &v->value, &err)) {
    Defer(v.get(), "unable to parse vectorExpr as a float: " + err);
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen, {")"}));
  return ExprPtr(std::move(v));
}

Result<Parser::ExprPtr> Parser::ParseLabelReplace() {
  ++pos_;  // label_replace
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen));
  auto l = std::make_unique<LabelReplaceExpr>();
  SLUICE_ASSIGN_OR_RETURN(l->inner, ParseBinary(0));
  if (!l->inner->IsMetric())
    return Unexpected();
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kComma));
  std::string* fields[] = {&l->dst, &l->replacement, &l->src, &l->regex};
  for (int i = 0; i < 4; ++i) {
    SLUICE_ASSIGN_OR_RETURN(*fields[i], ExpectString({"STRING"}));
    if (i < 3)
      SLUICE_RETURN_IF_ERROR(Expect(TokenType::kComma, {","}));
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen, {")"}));
  std::string err = CheckRegex("^(?:" + l->regex + ")$");
  if (!err.empty())
    Defer(l.get(), "invalid regex in label_replace: " + err);
  return ExprPtr(std::move(l));
}

Result<std::vector<std::string>> Parser::ParseLabelList() {
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen, {"("}));
  std::vector<std::string> out;
  if (Accept(TokenType::kCloseParen))
    return out;
  while (true) {
    if (!Is(TokenType::kIdentifier)) {
      return out.empty() ? Unexpected({"IDENTIFIER", ")"}) : Unexpected({"IDENTIFIER"});
    }
    out.push_back(toks_[pos_++].text);
    if (Accept(TokenType::kCloseParen))
      return out;
    if (!Accept(TokenType::kComma))
      return Unexpected({")", ","});
  }
}

Result<Grouping> Parser::ParseGrouping() {
  Grouping g;
  g.without = Is(TokenType::kWithout);
  ++pos_;
  SLUICE_ASSIGN_OR_RETURN(g.labels, ParseLabelList());
  return g;
}

Result<Parser::ExprPtr> Parser::ParseVectorAggregation() {
  auto v = std::make_unique<VectorAggregationExpr>();
  v->op = static_cast<VectorOp>(Cur().op);
  ++pos_;
  if (Is(TokenType::kBy) || Is(TokenType::kWithout)) {
    SLUICE_ASSIGN_OR_RETURN(v->grouping, ParseGrouping());
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen, {"("}));
  std::optional<std::string> param;
  if (Is(TokenType::kNumber) && Ahead(1).type == TokenType::kComma) {
    param = toks_[pos_].text;
    pos_ += 2;
  }
  SLUICE_ASSIGN_OR_RETURN(v->inner, ParseBinary(0));
  if (!v->inner->IsMetric())
    return Unexpected();
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen));
  bool grouping_before = v->grouping.has_value();
  if (!grouping_before && (Is(TokenType::kBy) || Is(TokenType::kWithout))) {
    SLUICE_ASSIGN_OR_RETURN(v->grouping, ParseGrouping());
  }
  std::string name(VectorOpName(v->op));
  if (v->op == VectorOp::kTopK || v->op == VectorOp::kBottomK || v->op == VectorOp::kApproxTopK) {
    if (!param) {
      Defer(v.get(), "parameter required for operation " + name);
    } else {
      int64_t k = 0;
      auto [p, ec] = std::from_chars(param->data(), param->data() + param->size(), k);
      if (ec != std::errc() || p != param->data() + param->size()) {
        Defer(v.get(), "invalid parameter " + name + "(" + *param + ",");
      } else if (k <= 0) {
        Defer(v.get(), "invalid parameter (must be greater than 0) " + name + "(" + *param);
      } else if (v->op == VectorOp::kApproxTopK && v->grouping) {
        Defer(v.get(), "grouping not allowed for " + name + " aggregation");
      } else {
        v->param = k;
      }
    }
  } else if (param) {
    Defer(v.get(), "unsupported parameter for operation " + name + "(" + *param + ",");
  }
  return ExprPtr(std::move(v));
}

Result<std::unique_ptr<Expr>> ParseExpr(std::string_view query) {
  return Parser(query).Run();
}

Result<std::unique_ptr<Expr>> ParseSampleExpr(std::string_view query) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Expr> e, ParseExpr(query));
  if (!e->IsMetric())
    return InvalidArgumentError("only sample expression supported");
  return e;
}

Result<std::unique_ptr<LogExpr>> ParseLogSelector(std::string_view query) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Expr> e, ParseExpr(query));
  if (e->IsMetric())
    return InvalidArgumentError("only log selector is supported");
  return std::unique_ptr<LogExpr>(static_cast<LogExpr*>(e.release()));
}

}  // namespace sluice::logql::syntax
