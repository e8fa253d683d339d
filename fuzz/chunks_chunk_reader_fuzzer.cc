// Feeds arbitrary bytes to Chunk::Parse and, when they parse, iterates the chunk in both
// directions over the full range and a sub-range, without and with a pushed-down filter that
// reads the stored metadata names (MetadataView): must never crash, hang or over-allocate, and
// what the filter kept plus what it reported dropped is what the unfiltered pass returned.
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
  // Keeps lines of odd length and entries holding a metadata name starting with 'a'.
  int64_t dropped = 0;
  chunks::LineFilterFn filter(
      [](std::string_view line, const chunks::MetadataView& md) {
        return line.size() % 2 == 1 ||
               md.AnyName([](std::string_view name) { return name.starts_with('a'); });
      },
      [&dropped](int64_t lines, int64_t) { dropped += lines; });
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    for (auto [start, end] : {std::pair{INT64_MIN, INT64_MAX}, std::pair{mid, INT64_MAX}}) {
      int64_t counts[2] = {0, 0};
      bool ok[2] = {false, false};
      for (int filtered = 0; filtered < 2; ++filtered) {
        auto it = chunks::NewChunkIterator(*chunk, start, end, d,
                                           filtered ? filter : chunks::LineFilterFn{});
        size_t n = 0;
        while (it->Next()) {
          n += it->At().line.size() + it->At().metadata.size();
          ++counts[filtered];
        }
        ok[filtered] = it->status().ok();
        g_sink = n;
      }
      if (ok[0] && ok[1] && counts[0] != counts[1] + dropped)
        __builtin_trap();  // kept + dropped must be everything in range
      dropped = 0;
    }
  }
  return 0;
}
