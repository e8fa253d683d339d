// LogQL lexer: query text -> tokens, following Loki's lexer (pkg/logql/syntax/lex.go on top of
// a Go text/scanner):
//   - identifiers [A-Za-z_][A-Za-z0-9_]* (and Unicode letters); keywords are case-insensitive;
//     reserved words (by, on, json, offset, ...) are always keywords; function words (rate, sum,
//     bytes, ip, vector, ...) only when followed by `(` or `by (` / `without (`;
//   - "..." strings with Go escapes, `...` raw strings, '...' char literals (lexed, then
//     treated as identifiers, as Loki does);
//   - numbers glued to duration units become DURATION (1h30m, 1.5s, -5m), else glued to byte
//     units become BYTES (10MB, 1KiB), else NUMBER;
//   - `[...]` is a RANGE token (Prometheus duration); `--strict` / `--keep-empty` are flags;
//   - `#`, `//` and `/* */` comments are skipped.
// Each token records its 1-based line/column; `line` is 0 for tokens Loki's scanner completes
// character by character (two-char operators, ranges, durations, bytes, flags), so error
// positions read as Loki's do. Thread-safety: a Lexer is single-threaded; tokens are values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::logql::syntax {

enum class TokenType : uint8_t {
  kEnd,
  kError,  // text holds the lexer's message; position is where Loki reports it
  kIdentifier,
  kString,
  kNumber,
  kDuration,
  kBytes,
  kRange,
  kFlag,
  // Punctuation and operators.
  kComma,
  kDot,
  kOpenBrace,
  kCloseBrace,
  kEq,           // =
  kNeq,          // !=
  kRe,           // =~
  kNre,          // !~
  kNpa,          // !>
  kPipeExact,    // |=
  kPipeMatch,    // |~
  kPipePattern,  // |>
  kPipe,
  kOpenParen,
  kCloseParen,
  kOpenBracket,
  kCloseBracket,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kCmpEq,  // ==
  kGt,
  kGte,
  kLt,
  kLte,
  // Reserved words.
  kBy,
  kWithout,
  kBool,
  kOr,
  kAnd,
  kUnless,
  kOn,
  kIgnoring,
  kGroupLeft,
  kGroupRight,
  kOffset,
  kUnwrap,
  kJson,
  kLogfmt,
  kRegexp,
  kPattern,
  kUnpack,
  kLineFormat,
  kLabelFormat,
  kDecolorize,
  kDrop,
  kKeep,
  // Function words (only before `(`).
  kIp,
  kLabelReplace,
  kVector,
  kRangeOp,   // `op` holds the syntax::RangeOp
  kVectorOp,  // `op` holds the syntax::VectorOp
  kBytesConv,
  kDurationConv,
  kDurationSecondsConv,
};

struct Token {
  TokenType type = TokenType::kEnd;
  // kIdentifier: the name as written; kString: unquoted value; kNumber: the digits as written;
  // kFlag: "--strict"/"--keep-empty"; kError: message; keywords: the text as written.
  std::string text;
  int64_t duration_ns = 0;  // kDuration, kRange
  uint64_t bytes = 0;       // kBytes
  int op = 0;               // kRangeOp / kVectorOp
  int line = 0;             // 1-based; 0 when Loki's scanner reports no line (see above)
  int col = 0;              // 1-based, in characters
};

// How Loki's grammar names a token in "syntax error: unexpected X" ("IDENTIFIER", "|=", "by",
// "RATE", "$end", ...).
std::string TokenName(const Token& t);

// Tokenizes the whole input. Stops after the first kError token, else ends with kEnd.
std::vector<Token> Lex(std::string_view input);

// Prometheus duration (`[5m]`, `1h30m`, `1d`), with Prometheus's error texts
// ("unknown unit \"minutes\" in duration \"5minutes\"", "not a valid duration string: ...").
// Returns false and sets *error on failure.
bool ParsePrometheusDuration(std::string_view s, int64_t* ns, std::string* error);

// go-humanize ParseBytes ("10MB", "1.5KiB", "5 kb", "42"); false if not a byte size.
bool ParseHumanBytes(std::string_view s, uint64_t* out);

}  // namespace sluice::logql::syntax
