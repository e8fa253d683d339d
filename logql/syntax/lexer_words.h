// The LogQL lexer's vocabulary (internal to logql/syntax): reserved words, function words,
// operators, the suffix runes of durations and byte sizes, and token names for messages.
// lexer.cc scans; this says what the scanned text is.
// Thread-safety: immutable tables and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "logql/syntax/lexer.h"

namespace sluice::logql::syntax {

// A word that is a function only before `(` (`rate`, `count`, `bytes`, ...): its token type
// and, for range / vector operators, the RangeOp / VectorOp as int.
struct FunctionWord {
  std::string_view word;
  TokenType type;
  int op;
};

// Lookups by lower-case text; null when the text is not one.
const FunctionWord* FindFunctionWord(std::string_view lower);
const TokenType* ReservedWord(std::string_view lower);  // Loki's `tokens`: always keywords
const TokenType* TwoCharOperator(std::string_view text);
const TokenType* OneCharOperator(std::string_view text);

// Runes that may follow the digits of a duration (`5m`, `1h30m`, `10µs`) / a byte size (`1KiB`).
bool IsDurationRune(int32_t r);
bool IsBytesRune(int32_t r);

// Go's strconv.ParseDuration-then-Prometheus rule of Loki's parseDuration.
bool ParseLexDuration(std::string_view s, int64_t* ns);

std::string ToLower(std::string_view s);

}  // namespace sluice::logql::syntax
