// JSON string escaping shared by every module that writes JSON by hand (query responses, the
// agent's push bodies). Escapes as Go's encoding/json does, so output matches Loki's byte for byte:
//   AppendJsonEscaped("a\"b\n", &out)   -> a\"b\n             (no surrounding quotes)
//   AppendJsonQuoted("caf\xc3\xa9", &out) -> "café"
// Control characters become \n, \r, \t or \u00XX; U+2028/U+2029 are escaped (Go does it for
// JavaScript safety); each byte of invalid UTF-8 becomes \ufffd, so any bytes render as valid JSON.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

void AppendJsonEscaped(std::string_view s, std::string* out);
void AppendJsonQuoted(std::string_view s, std::string* out);

// Length (2..4) of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are not
// one (stray continuation byte, truncated, overlong, surrogate, > U+10FFFF).
// REQUIRES: i < s.size() and s[i] >= 0x80.
size_t ValidUtf8SequenceLength(std::string_view s, size_t i);

}  // namespace sluice
