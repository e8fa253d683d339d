// Small UTF-8 / Unicode helpers for the LogQL lexer and printer (Go's unicode.IsLetter,
// unicode.IsSpace and strconv.IsPrint, approximated over the scripts seen in queries).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::logql::syntax {

inline constexpr int32_t kInvalidRune = -2;

// Decodes the rune at s[pos]; sets *len to its byte length (1 for an invalid byte, which
// yields kInvalidRune). REQUIRES: pos < s.size().
int32_t DecodeRune(std::string_view s, size_t pos, size_t* len);

// Appends the UTF-8 encoding of `r` (a valid code point).
void AppendRune(int32_t r, std::string* out);

bool IsLetterRune(int32_t r);
bool IsSpaceRune(int32_t r);
// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020.
bool IsPrintRune(int32_t r);

}  // namespace sluice::logql::syntax
