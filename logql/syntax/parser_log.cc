// Parser: stream selectors, pipeline stages and label filters (see parser_impl.h).
#include <string>
#include <utility>

#include "logql/syntax/parser_impl.h"

namespace sluice::logql::syntax {

namespace {

std::optional<LineFilterOp> LineFilterOpOf(TokenType t) {
  switch (t) {
    case TokenType::kPipeExact:
      return LineFilterOp::kContains;
    case TokenType::kNeq:
      return LineFilterOp::kNotContains;
    case TokenType::kPipeMatch:
      return LineFilterOp::kRegex;
    case TokenType::kNre:
      return LineFilterOp::kNotRegex;
    case TokenType::kPipePattern:
      return LineFilterOp::kPattern;
    case TokenType::kNpa:
      return LineFilterOp::kNotPattern;
    default:
      return std::nullopt;
  }
}

std::optional<MatchType> MatchTypeOf(TokenType t) {
  switch (t) {
    case TokenType::kEq:
      return MatchType::kEqual;
    case TokenType::kNeq:
      return MatchType::kNotEqual;
    case TokenType::kRe:
      return MatchType::kRegex;
    case TokenType::kNre:
      return MatchType::kNotRegex;
    default:
      return std::nullopt;
  }
}

std::optional<CompareOp> CompareOpOf(TokenType t) {
  switch (t) {
    case TokenType::kEq:
    case TokenType::kCmpEq:
      return CompareOp::kEqual;
    case TokenType::kNeq:
      return CompareOp::kNotEqual;
    case TokenType::kGt:
      return CompareOp::kGreater;
    case TokenType::kGte:
      return CompareOp::kGreaterEqual;
    case TokenType::kLt:
      return CompareOp::kLess;
    case TokenType::kLte:
      return CompareOp::kLessEqual;
    default:
      return std::nullopt;
  }
}

LabelFilter Combine(bool is_or, LabelFilter l, LabelFilter r) {
  BinaryLabelFilter b;
  b.is_or = is_or;
  b.left = std::make_unique<LabelFilter>(std::move(l));
  b.right = std::make_unique<LabelFilter>(std::move(r));
  return LabelFilter{std::move(b)};
}

}  // namespace

Result<LabelMatcher> Parser::MakeMatcher(MatchType type, std::string name, std::string value) {
  if (type == MatchType::kRegex || type == MatchType::kNotRegex) {
    std::string err = CheckRegex("^(?s:" + value + ")$");
    if (!err.empty())
      return SemanticError(err);
  }
  auto m = LabelMatcher::Make(type, std::move(name), std::move(value));
  if (!m.ok())
    return SemanticError(m.status().message());
  return m;
}

Result<std::unique_ptr<LogExpr>> Parser::ParseSelector() {
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenBrace, {"{"}));
  auto log = std::make_unique<LogExpr>();
  if (Accept(TokenType::kCloseBrace))
    return log;
  bool first = true;
  while (true) {
    if (!Is(TokenType::kIdentifier)) {
      return first ? Unexpected({"IDENTIFIER", "}"}) : Unexpected({"IDENTIFIER"});
    }
    first = false;
    std::string name = toks_[pos_++].text;
    std::optional<MatchType> type = MatchTypeOf(Cur().type);
    if (!type)
      return Unexpected({"=", "=~", "!~", "!="});
    ++pos_;
    SLUICE_ASSIGN_OR_RETURN(std::string value, ExpectString());
    SLUICE_ASSIGN_OR_RETURN(LabelMatcher m, MakeMatcher(*type, std::move(name), std::move(value)));
    log->matchers.push_back(std::move(m));
    if (Accept(TokenType::kCloseBrace))
      return log;
    if (!Accept(TokenType::kComma))
      return Unexpected({"}", ","});
  }
}

Status Parser::ParseStages(std::vector<Stage>* stages, std::optional<Unwrap>* unwrap) {
  while (true) {
    if (LineFilterOpOf(Cur().type)) {
      SLUICE_ASSIGN_OR_RETURN(Stage s, ParseLineFilter());
      stages->push_back(std::move(s));
      continue;
    }
    if (!Is(TokenType::kPipe))
      return Status::Ok();
    if (Ahead(1).type == TokenType::kUnwrap && unwrap != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(*unwrap, ParseUnwrap());
      return Status::Ok();
    }
    ++pos_;  // |
    SLUICE_ASSIGN_OR_RETURN(Stage s, ParsePipeStage());
    stages->push_back(std::move(s));
  }
}

Result<LineFilterArg> Parser::ParseLineFilterArg() {
  LineFilterArg arg;
  if (Is(TokenType::kString)) {
    arg.value = std::move(toks_[pos_++].text);
    return arg;
  }
  if (!Is(TokenType::kIp))
    return Unexpected({"STRING", "ip"});
  ++pos_;
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen, {"("}));
  SLUICE_ASSIGN_OR_RETURN(arg.value, ExpectString());
  SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen, {")"}));
  arg.is_ip = true;
  return arg;
}

Result<Stage> Parser::ParseLineFilter() {
  LineFilterStage f;
  f.op = *LineFilterOpOf(Cur().type);
  ++pos_;
  do {
    SLUICE_ASSIGN_OR_RETURN(LineFilterArg arg, ParseLineFilterArg());
    f.args.push_back(std::move(arg));
  } while (Accept(TokenType::kOr));
  return Stage{std::move(f)};
}

Result<std::vector<LabelExtraction>> Parser::ParseExtractions() {
  std::vector<LabelExtraction> out;
  while (true) {
    if (!IsName())
      return Unexpected({"IDENTIFIER"});
    LabelExtraction e;
    e.name = toks_[pos_++].text;
    if (Accept(TokenType::kEq)) {
      SLUICE_ASSIGN_OR_RETURN(e.expression, ExpectString());
    } else {
      e.expression = e.name;
    }
    out.push_back(std::move(e));
    if (!Accept(TokenType::kComma))
      return out;
  }
}

Result<std::vector<NamedMatcher>> Parser::ParseNamedMatchers() {
  std::vector<NamedMatcher> out;
  while (true) {
    if (!Is(TokenType::kIdentifier))
      return Unexpected({"IDENTIFIER"});
    NamedMatcher nm;
    nm.name = toks_[pos_++].text;
    if (std::optional<MatchType> type = MatchTypeOf(Cur().type)) {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(std::string value, ExpectString());
      SLUICE_ASSIGN_OR_RETURN(nm.matcher, MakeMatcher(*type, nm.name, std::move(value)));
    }
    out.push_back(std::move(nm));
    if (!Accept(TokenType::kComma))
      return out;
  }
}

Result<LabelFormatStage> Parser::ParseLabelFormat() {
  LabelFormatStage st;
  while (true) {
    if (!Is(TokenType::kIdentifier))
      return Unexpected({"IDENTIFIER"});
    LabelFormatAssignment a;
    a.dst = toks_[pos_++].text;
    SLUICE_RETURN_IF_ERROR(Expect(TokenType::kEq, {"="}));
    if (Is(TokenType::kIdentifier)) {
      a.is_rename = true;
    } else if (!Is(TokenType::kString)) {
      return Unexpected({"IDENTIFIER", "STRING"});
    }
    a.value = std::move(toks_[pos_++].text);
    st.assignments.push_back(std::move(a));
    if (!Accept(TokenType::kComma))
      return st;
  }
}

Result<Stage> Parser::ParsePipeStage() {
  switch (Cur().type) {
    case TokenType::kJson: {
      ++pos_;
      JsonParserStage j;
      if (IsName()) {
        SLUICE_ASSIGN_OR_RETURN(j.extractions, ParseExtractions());
      }
      return Stage{std::move(j)};
    }
    case TokenType::kLogfmt: {
      ++pos_;
      LogfmtParserStage l;
      while (Is(TokenType::kFlag)) {
        if (Cur().text == "--strict")
          l.strict = true;
        if (Cur().text == "--keep-empty")
          l.keep_empty = true;
        ++pos_;
      }
      if (IsName()) {
        SLUICE_ASSIGN_OR_RETURN(l.extractions, ParseExtractions());
      }
      return Stage{std::move(l)};
    }
    case TokenType::kRegexp: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(std::string re, ExpectString());
      int named = 0;
      std::string err = CheckRegex(re, &named);
      if (err.empty() && named == 0)
        err = "at least one named capture must be supplied";
      if (!err.empty())
        return SemanticError("invalid regexp parser: " + err);
      return Stage{RegexpParserStage{std::move(re)}};
    }
    case TokenType::kPattern: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(std::string p, ExpectString());
      std::string err = CheckPattern(p);
      if (!err.empty())
        return SemanticError("invalid pattern parser: " + err);
      return Stage{PatternParserStage{std::move(p)}};
    }
    case TokenType::kUnpack:
      ++pos_;
      return Stage{UnpackParserStage{}};
    case TokenType::kLineFormat: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(std::string t, ExpectString());
      return Stage{LineFormatStage{std::move(t)}};
    }
    case TokenType::kLabelFormat: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(LabelFormatStage st, ParseLabelFormat());
      return Stage{std::move(st)};
    }
    case TokenType::kDecolorize:
      ++pos_;
      return Stage{DecolorizeStage{}};
    case TokenType::kDrop: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(std::vector<NamedMatcher> labels, ParseNamedMatchers());
      return Stage{DropStage{std::move(labels)}};
    }
    case TokenType::kKeep: {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(std::vector<NamedMatcher> labels, ParseNamedMatchers());
      return Stage{KeepStage{std::move(labels)}};
    }
    default: {
      SLUICE_ASSIGN_OR_RETURN(LabelFilter f, ParseLabelFilter(0));
      return Stage{LabelFilterStage{std::move(f)}};
    }
  }
}

// Loki's yacc grammar gives `or` < `and` (both left-associative) while `,` and juxtaposition
// have no precedence, so yacc always shifts on them: they take everything to their right.
Result<LabelFilter> Parser::ParseLabelFilter(int min_prec) {
  SLUICE_ASSIGN_OR_RETURN(LabelFilter lhs, ParseLabelFilterAtom());
  while (true) {
    if (Is(TokenType::kComma) || Is(TokenType::kIdentifier) || Is(TokenType::kOpenParen)) {
      Accept(TokenType::kComma);
      SLUICE_ASSIGN_OR_RETURN(LabelFilter rhs, ParseLabelFilter(0));
      lhs = Combine(false, std::move(lhs), std::move(rhs));
    } else if (Is(TokenType::kAnd) && min_prec <= 2) {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(LabelFilter rhs, ParseLabelFilter(3));
      lhs = Combine(false, std::move(lhs), std::move(rhs));
    } else if (Is(TokenType::kOr) && min_prec <= 1) {
      ++pos_;
      SLUICE_ASSIGN_OR_RETURN(LabelFilter rhs, ParseLabelFilter(2));
      lhs = Combine(true, std::move(lhs), std::move(rhs));
    } else {
      return lhs;
    }
  }
}

Result<LabelFilter> Parser::ParseLabelFilterAtom() {
  if (Accept(TokenType::kOpenParen)) {
    SLUICE_ASSIGN_OR_RETURN(LabelFilter f, ParseLabelFilter(0));
    SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen));
    return f;
  }
  if (!Is(TokenType::kIdentifier))
    return Unexpected();
  std::string name = toks_[pos_++].text;
  TokenType op_tok = Cur().type;
  TokenType value_tok = Ahead(1).type;
  std::optional<MatchType> mt = MatchTypeOf(op_tok);
  if (mt && value_tok == TokenType::kString) {
    pos_ += 1;
    std::string value = std::move(toks_[pos_++].text);
    SLUICE_ASSIGN_OR_RETURN(LabelMatcher m, MakeMatcher(*mt, std::move(name), std::move(value)));
    return LabelFilter{StringLabelFilter{std::move(m)}};
  }
  if ((op_tok == TokenType::kEq || op_tok == TokenType::kNeq) && value_tok == TokenType::kIp) {
    pos_ += 2;
    IpLabelFilter ip;
    ip.name = std::move(name);
    ip.negate = op_tok == TokenType::kNeq;
    SLUICE_RETURN_IF_ERROR(Expect(TokenType::kOpenParen, {"("}));
    SLUICE_ASSIGN_OR_RETURN(ip.pattern, ExpectString());
    SLUICE_RETURN_IF_ERROR(Expect(TokenType::kCloseParen, {")"}));
    return LabelFilter{std::move(ip)};
  }
  std::optional<CompareOp> cmp = CompareOpOf(op_tok);
  if (!cmp)
    return Unexpected();
  ++pos_;
  switch (Cur().type) {
    case TokenType::kDuration: {
      DurationLabelFilter d{std::move(name), *cmp, Cur().duration_ns};
      ++pos_;
      return LabelFilter{std::move(d)};
    }
    case TokenType::kBytes: {
      BytesLabelFilter b{std::move(name), *cmp, Cur().bytes};
      ++pos_;
      return LabelFilter{std::move(b)};
    }
    case TokenType::kAdd:
    case TokenType::kSub:
    case TokenType::kNumber: {
      bool negate = false;
      if (!Is(TokenType::kNumber)) {
        negate = Is(TokenType::kSub);
        ++pos_;
        if (!Is(TokenType::kNumber))
          return Unexpected({"NUMBER"});
      }
      double v = 0;
      std::string err;
      if (!GoParseFloat(Cur().text, &v, &err)) {
        return SemanticError("unable to parse literal as a float: " + err);
      }
      ++pos_;
      return LabelFilter{NumericLabelFilter{std::move(name), *cmp, negate ? -v : v}};
    }
    default:
      return Unexpected();
  }
}

}  // namespace sluice::logql::syntax
