// Promtail's multiline stage, run per file after the container decoder: a line matching
// `firstline` starts a new block; other lines are appended (joined with '\n') to the open
// block. A block is emitted when the next block starts, at max_lines, or max_wait_time after
// its last line arrived.
// Thread-safety: one joiner per file, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "agent/line_decoder.h"

namespace re2 {
class RE2;
}

namespace sluice::agent {

struct MultilineConfig {
  std::shared_ptr<const re2::RE2> firstline;  // required
  int64_t max_wait_ns = 3'000'000'000;        // Promtail's default 3s
  int max_lines = 128;                        // Promtail's default
};

class MultilineJoiner {
 public:
  explicit MultilineJoiner(MultilineConfig config) : config_(std::move(config)) {}

  // Appends complete blocks to *out. `now_ns` is monotonic time.
  void Feed(DecodedLine line, int64_t now_ns, std::vector<DecodedLine>* out);
  // Emits the open block if max_wait has passed since its last line.
  void FlushIfDue(int64_t now_ns, std::vector<DecodedLine>* out);
  void Flush(std::vector<DecodedLine>* out);
  std::optional<uint64_t> PendingStart() const;
  // When FlushIfDue will next emit; nullopt when nothing is open.
  std::optional<int64_t> Deadline() const;

 private:
  MultilineConfig config_;
  std::optional<DecodedLine> block_;
  int lines_ = 0;
  int64_t last_ns_ = 0;
};

}  // namespace sluice::agent
