#include "logql/syntax/lexer_words.h"

#include <cctype>

#include "common/time_util.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::syntax {

namespace {

struct Keyword {
  std::string_view word;
  TokenType type;
};

// Loki's `tokens` words: always keywords.
constexpr Keyword kReserved[] = {
    {"by", TokenType::kBy},
    {"without", TokenType::kWithout},
    {"bool", TokenType::kBool},
    {"or", TokenType::kOr},
    {"and", TokenType::kAnd},
    {"unless", TokenType::kUnless},
    {"on", TokenType::kOn},
    {"ignoring", TokenType::kIgnoring},
    {"group_left", TokenType::kGroupLeft},
    {"group_right", TokenType::kGroupRight},
    {"offset", TokenType::kOffset},
    {"unwrap", TokenType::kUnwrap},
    {"json", TokenType::kJson},
    {"logfmt", TokenType::kLogfmt},
    {"regexp", TokenType::kRegexp},
    {"pattern", TokenType::kPattern},
    {"unpack", TokenType::kUnpack},
    {"line_format", TokenType::kLineFormat},
    {"label_format", TokenType::kLabelFormat},
    {"decolorize", TokenType::kDecolorize},
    {"drop", TokenType::kDrop},
    {"keep", TokenType::kKeep},
};

constexpr FunctionWord kFunctions[] = {
    {"count_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kCountOverTime)},
    {"rate", TokenType::kRangeOp, static_cast<int>(RangeOp::kRate)},
    {"rate_counter", TokenType::kRangeOp, static_cast<int>(RangeOp::kRateCounter)},
    {"bytes_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kBytesOverTime)},
    {"bytes_rate", TokenType::kRangeOp, static_cast<int>(RangeOp::kBytesRate)},
    {"avg_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kAvgOverTime)},
    {"sum_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kSumOverTime)},
    {"min_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kMinOverTime)},
    {"max_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kMaxOverTime)},
    {"stdvar_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kStdvarOverTime)},
    {"stddev_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kStddevOverTime)},
    {"quantile_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kQuantileOverTime)},
    {"first_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kFirstOverTime)},
    {"last_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kLastOverTime)},
    {"absent_over_time", TokenType::kRangeOp, static_cast<int>(RangeOp::kAbsentOverTime)},
    {"vector", TokenType::kVector, 0},
    {"sum", TokenType::kVectorOp, static_cast<int>(VectorOp::kSum)},
    {"avg", TokenType::kVectorOp, static_cast<int>(VectorOp::kAvg)},
    {"max", TokenType::kVectorOp, static_cast<int>(VectorOp::kMax)},
    {"min", TokenType::kVectorOp, static_cast<int>(VectorOp::kMin)},
    {"count", TokenType::kVectorOp, static_cast<int>(VectorOp::kCount)},
    {"stddev", TokenType::kVectorOp, static_cast<int>(VectorOp::kStddev)},
    {"stdvar", TokenType::kVectorOp, static_cast<int>(VectorOp::kStdvar)},
    {"bottomk", TokenType::kVectorOp, static_cast<int>(VectorOp::kBottomK)},
    {"topk", TokenType::kVectorOp, static_cast<int>(VectorOp::kTopK)},
    {"sort", TokenType::kVectorOp, static_cast<int>(VectorOp::kSort)},
    {"sort_desc", TokenType::kVectorOp, static_cast<int>(VectorOp::kSortDesc)},
    {"approx_topk", TokenType::kVectorOp, static_cast<int>(VectorOp::kApproxTopK)},
    {"label_replace", TokenType::kLabelReplace, 0},
    {"bytes", TokenType::kBytesConv, 0},
    {"duration", TokenType::kDurationConv, 0},
    {"duration_seconds", TokenType::kDurationSecondsConv, 0},
    {"ip", TokenType::kIp, 0},
};

struct Operator {
  std::string_view word;
  TokenType type;
};

constexpr Operator kTwoCharOps[] = {
    {"|=", TokenType::kPipeExact}, {"|~", TokenType::kPipeMatch}, {"|>", TokenType::kPipePattern},
    {"!=", TokenType::kNeq},       {"!~", TokenType::kNre},       {"!>", TokenType::kNpa},
    {"=~", TokenType::kRe},        {"==", TokenType::kCmpEq},     {">=", TokenType::kGte},
    {"<=", TokenType::kLte},
};

constexpr Operator kOneCharOps[] = {
    {",", TokenType::kComma},        {".", TokenType::kDot},        {"{", TokenType::kOpenBrace},
    {"}", TokenType::kCloseBrace},   {"=", TokenType::kEq},         {"|", TokenType::kPipe},
    {"(", TokenType::kOpenParen},    {")", TokenType::kCloseParen}, {"[", TokenType::kOpenBracket},
    {"]", TokenType::kCloseBracket}, {"+", TokenType::kAdd},        {"-", TokenType::kSub},
    {"*", TokenType::kMul},          {"/", TokenType::kDiv},        {"%", TokenType::kMod},
    {"^", TokenType::kPow},          {">", TokenType::kGt},         {"<", TokenType::kLt},
};

std::string UpperName(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

template <typename Table>
auto FindIn(const Table& table, std::string_view text) -> decltype(&table[0]) {
  for (const auto& entry : table) {
    if (entry.word == text)
      return &entry;
  }
  return nullptr;
}

}  // namespace

const FunctionWord* FindFunctionWord(std::string_view lower) {
  return FindIn(kFunctions, lower);
}

const TokenType* ReservedWord(std::string_view lower) {
  const Keyword* k = FindIn(kReserved, lower);
  return k == nullptr ? nullptr : &k->type;
}

const TokenType* TwoCharOperator(std::string_view text) {
  const Operator* op = FindIn(kTwoCharOps, text);
  return op == nullptr ? nullptr : &op->type;
}

const TokenType* OneCharOperator(std::string_view text) {
  const Operator* op = FindIn(kOneCharOps, text);
  return op == nullptr ? nullptr : &op->type;
}

bool IsDurationRune(int32_t r) {
  switch (r) {
    case 'n':
    case 'u':
    case 0xB5:  // µ
    case 'm':
    case 's':
    case 'h':
    case 'd':
    case 'w':
    case 'y':
      return true;
    default:
      return false;
  }
}

bool IsBytesRune(int32_t r) {
  switch (r) {
    case 'B':
    case 'i':
    case 'k':
    case 'K':
    case 'M':
    case 'G':
    case 'T':
    case 'P':
      return true;
    default:
      return false;
  }
}

// Go's strconv.ParseDuration-then-Prometheus rule of Loki's parseDuration.
bool ParseLexDuration(std::string_view s, int64_t* ns) {
  std::string err;
  if (ParsePrometheusDuration(s, ns, &err))
    return true;
  auto r = ParseGoDuration(s);
  if (!r.ok())
    return false;
  *ns = *r;
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string TokenName(const Token& t) {
  switch (t.type) {
    case TokenType::kEnd:
      return "$end";
    case TokenType::kError:
      return "error";
    case TokenType::kIdentifier:
      return "IDENTIFIER";
    case TokenType::kString:
      return "STRING";
    case TokenType::kNumber:
      return "NUMBER";
    case TokenType::kDuration:
      return "DURATION";
    case TokenType::kBytes:
      return "BYTES";
    case TokenType::kRange:
      return "RANGE";
    case TokenType::kFlag:
      return "FUNCTION_FLAG";
    case TokenType::kRangeOp:
      return UpperName(RangeOpName(static_cast<RangeOp>(t.op)));
    case TokenType::kVectorOp:
      return UpperName(VectorOpName(static_cast<VectorOp>(t.op)));
    case TokenType::kVector:
      return "VECTOR";
    case TokenType::kBytesConv:
      return "BYTES_CONV";
    case TokenType::kDurationConv:
      return "DURATION_CONV";
    case TokenType::kDurationSecondsConv:
      return "DURATION_SECONDS_CONV";
    case TokenType::kIp:
      return "ip";
    case TokenType::kLabelReplace:
      return "label_replace";
    default:
      break;
  }
  // Reserved words and operators are named by their (lower-case) text.
  return ToLower(t.text);
}

}  // namespace sluice::logql::syntax
