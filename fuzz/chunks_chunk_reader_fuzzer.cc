// Feeds arbitrary bytes to Chunk::Parse and, when they parse, iterates the chunk in both
// directions over the full range and a sub-range: must never crash, hang or over-allocate.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chunks/chunk.h"

volatile size_t g_sink;  // keeps the reads from being optimised away

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice;
  auto chunk = chunks::Chunk::Parse(std::string(reinterpret_cast<const char*>(data), size));
  if (!chunk.ok()) {
    return 0;
  }
  int64_t mid = (*chunk)->from_ns() / 2 + (*chunk)->through_ns() / 2;
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    for (auto [start, end] : {std::pair{INT64_MIN, INT64_MAX}, std::pair{mid, INT64_MAX}}) {
      auto it = chunks::NewChunkIterator(*chunk, start, end, d);
      size_t n = 0;
      while (it->Next()) {
        n += it->At().line.size() + it->At().metadata.size();
      }
      (void)it->status();
      g_sink = n;
    }
  }
  return 0;
}
