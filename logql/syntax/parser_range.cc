// Parser: range aggregations, log ranges, unwrap and offset (see parser_impl.h).
#include <string>
#include <utility>

#include "logql/syntax/parser_impl.h"

namespace sluice::logql::syntax {

namespace {

bool IsUnwrapOp(RangeOp op) {
  switch (op) {
    case RangeOp::kRate:
    case RangeOp::kRateCounter:
    case RangeOp::kSumOverTime:
    case RangeOp::kAvgOverTime:
    case RangeOp::kMinOverTime:
    case RangeOp::kMaxOverTime:
    case RangeOp::kFirstOverTime:
    case RangeOp::kLastOverTime:
    case RangeOp::kStddevOverTime:
    case RangeOp::kStdvarOverTime:
    case RangeOp::kQuantileOverTime:
    case RangeOp::kAbsentOverTime:
      return true;
    default:
      return false;
  }
}

bool IsPlainOp(RangeOp op) {
  switch (op) {
    case RangeOp::kCountOverTime:
    case RangeOp::kRate:
    case RangeOp::kBytesOverTime:
    case RangeOp::kBytesRate:
    case RangeOp::kAbsentOverTime:
      return true;
    default:
      return false;
  }
}

bool AllowsGrouping(RangeOp op) {
  switch (op) {
    case RangeOp::kAvgOverTime:
    case RangeOp::kStddevOverTime:
    case RangeOp::kStdvarOverTime:
    case RangeOp::kQuantileOverTime:
    case RangeOp::kMaxOverTime:
    case RangeOp::kMinOverTime:
    case RangeOp::kFirstOverTime:
    case RangeOp::kLastOverTime:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<Parser::ExprPtr> Parser::ParseRangeAggregation() {
  auto r = std::make_unique<RangeAggregationExpr>();
  r->op = static_cast<RangeOp>(Cur().op);
  ++pos_;
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen, {"("}));
  std::optional<std::string> param;
  if (Is(TokenType::kNumber) && Ahead(1).type == TokenType::kComma) {
    param = toks_[pos_].text;
    pos_ += 2;
  }
  if (!Is(TokenType::kOpenBrace) && !Is(TokenType::kOpenParen)) {
    return param ? Unexpected({"{", "("}) : Unexpected({"NUMBER", "{", "("});
  }
  SLUICE_RETURN_IF_ERROR(ParseLogRange(&r->range));
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen));
  if (Is(TokenType::kBy) || Is(TokenType::kWithout)) {
    SLUICE_ASSIGN_OR_RETURN(r->grouping, ParseGrouping());
  }
  CheckRangeAggregation(r.get(), param);
  return ExprPtr(std::move(r));
}

// Loki's newRangeAggregationExpr checks, in its order; failures are deferred.
void Parser::CheckRangeAggregation(RangeAggregationExpr* r,
                                   const std::optional<std::string>& param) {
  std::string name(RangeOpName(r->op));
  if (param) {
    if (r->op != RangeOp::kQuantileOverTime) {
      return Defer(r, "parameter " + *param + " not supported for operation " + name);
    }
    double v = 0;
    std::string err;
    if (!GoParseFloat(*param, &v, &err)) {
      return Defer(r, "invalid parameter for operation " + name + ": " + err);
    }
    r->param = v;
  } else if (r->op == RangeOp::kQuantileOverTime) {
    return Defer(r, "parameter required for operation " + name);
  }
  if (r->grouping && !AllowsGrouping(r->op)) {
    return Defer(r, "grouping not allowed for " + name + " aggregation");
  }
  if (r->range.unwrap && !IsUnwrapOp(r->op)) {
    return Defer(r, "invalid aggregation " + name + " with unwrap");
  }
  if (!r->range.unwrap && !IsPlainOp(r->op)) {
    return Defer(r, "invalid aggregation " + name + " without unwrap");
  }
}

Status Parser::ParseLogRange(LogRange* out) {
  out->log = std::make_unique<LogExpr>();
  if (Accept(TokenType::kOpenParen)) {
    if (Is(TokenType::kOpenParen)) {  // ( logRange )
      SLUICE_RETURN_IF_ERROR(ParseLogRange(out));
      return Expect(TokenType::kCloseParen);
    }
    SLUICE_ASSIGN_OR_RETURN(out->log, ParseSelector());
    SLUICE_RETURN_IF_ERROR(ParseStages(&out->log->stages, &out->unwrap));
    bool before = !out->log->stages.empty() || out->unwrap.has_value();
    if (Is(TokenType::kRange)) {  // ( selector ... [5m] ... )
      SLUICE_RETURN_IF_ERROR(ParseAfterRange(out, !before));
      return Expect(TokenType::kCloseParen);
    }
    SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen));
    if (!Is(TokenType::kRange))
      return Unexpected({"RANGE"});
    out->range_ns = Cur().duration_ns;
    ++pos_;
    if (Accept(TokenType::kOffset)) {
      if (!Is(TokenType::kDuration))
        return Unexpected({"DURATION"});
      out->offset_ns = toks_[pos_++].duration_ns;
    }
    // `({a="b"})[5m] | unwrap x` is accepted, but no other stage after the range.
    if (!before && Is(TokenType::kPipe) && Ahead(1).type == TokenType::kUnwrap) {
      SLUICE_ASSIGN_OR_RETURN(out->unwrap, ParseUnwrap());
    }
    return Status::Ok();
  }
  if (!Is(TokenType::kOpenBrace))
    return Unexpected();
  SLUICE_ASSIGN_OR_RETURN(out->log, ParseSelector());
  SLUICE_RETURN_IF_ERROR(ParseStages(&out->log->stages, &out->unwrap));
  bool before = !out->log->stages.empty() || out->unwrap.has_value();
  if (!Is(TokenType::kRange))
    return Unexpected();
  return ParseAfterRange(out, !before);
}

// At the RANGE token: `[5m] [offset d]` then, when nothing preceded the range, the pipeline
// and unwrap may follow (`{a="b"}[5m] | json | unwrap x`).
Status Parser::ParseAfterRange(LogRange* out, bool pipeline_allowed) {
  out->range_ns = Cur().duration_ns;
  ++pos_;
  if (Accept(TokenType::kOffset)) {
    if (!Is(TokenType::kDuration))
      return Unexpected({"DURATION"});
    out->offset_ns = toks_[pos_++].duration_ns;
  }
  if (pipeline_allowed) {
    SLUICE_RETURN_IF_ERROR(ParseStages(&out->log->stages, &out->unwrap));
  }
  return Status::Ok();
}

Result<Unwrap> Parser::ParseUnwrap() {
  pos_ += 2;  // | unwrap
  Unwrap u;
  switch (Cur().type) {
    case TokenType::kIdentifier:
      u.label = toks_[pos_++].text;
      break;
    case TokenType::kBytesConv:
    case TokenType::kDurationConv:
    case TokenType::kDurationSecondsConv:
      u.conversion = Is(TokenType::kBytesConv)      ? UnwrapConversion::kBytes
                     : Is(TokenType::kDurationConv) ? UnwrapConversion::kDuration
                                                    : UnwrapConversion::kDurationSeconds;
      ++pos_;
      SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen, {"("}));
      if (!Is(TokenType::kIdentifier))
        return Unexpected({"IDENTIFIER"});
      u.label = toks_[pos_++].text;
      SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen, {")"}));
      break;
    default:
      return Unexpected({"IDENTIFIER", "BYTES_CONV", "DURATION_CONV", "DURATION_SECONDS_CONV"});
  }
  while (Accept(TokenType::kPipe)) {
    SLUICE_ASSIGN_OR_RETURN(LabelFilter f, ParseLabelFilter(0));
    u.post_filters.push_back(std::move(f));
  }
  return u;
}

}  // namespace sluice::logql::syntax
