// Shared driver for the container-format decoder fuzzers: feeds the input as physical lines
// (split at '\n') to a LineDecoder and checks its invariants.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "agent/line_decoder.h"

namespace sluice::agent {

inline void FuzzDecoder(LineFormat format, const uint8_t* data, size_t size) {
  DecoderLimits limits;
  limits.max_joined_bytes = 4096;  // small, so the cap is reached
  limits.max_partial_lines = 8;
  LineDecoder decoder(format, limits);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<DecodedLine> out;
  uint64_t offset = 0;
  size_t input_bytes = 0;
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    uint64_t end = offset + line.size() + (nl == std::string_view::npos ? 0 : 1);
    decoder.Feed(line, offset, end, &out);
    input_bytes += line.size();
    if (auto pending = decoder.PendingStart(); pending && *pending > end)
      std::abort();
    offset = end;
    in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
  }
  decoder.Flush(&out);
  if (decoder.PendingStart())
    std::abort();
  uint64_t last_start = 0;
  size_t output_bytes = 0;
  for (const DecodedLine& l : out) {
    if (l.start_offset > offset || l.end_offset > offset)
      std::abort();
    output_bytes += l.text.size();
    last_start = l.start_offset;
  }
  (void)last_start;
  // Decoding never invents bytes beyond JSON unescaping's expansion (at most 3 bytes of
  // UTF-8 per 6-byte \u escape, so never more than the input).
  if (output_bytes > input_bytes)
    std::abort();
  if (format == LineFormat::kCri) {
    ParseCriLine(std::string_view(reinterpret_cast<const char*>(data), size))
        .status()
        .IgnoreError();
  }
}

}  // namespace sluice::agent
