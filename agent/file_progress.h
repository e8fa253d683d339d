// FileProgress: which bytes of one tailed file have been acknowledged by every client, so the
// positions file can record "the offset of the last acknowledged byte" and never more.
//
// The tailer calls Add(start, n) for each entry it hands to n clients (start = offset of the
// entry's first byte) and SetConsumed(offset) once every byte before `offset` has been either
// handed on or deliberately dropped. Each client calls Ack(start) once per entry when the
// server acknowledged it (or it was given up). Acked() is then the offset below which
// everything is done: the start of the oldest unacknowledged entry, or the consumed offset.
// Thread-safety: all methods lock; shared between the tailer and the shipper threads
// (shared_ptr: the shipper may hold it after the tailer let the file go).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace sluice::agent {

class FileProgress {
 public:
  explicit FileProgress(uint64_t start_offset = 0) : consumed_(start_offset) {}

  void Add(uint64_t start, int clients) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_[start] += clients;
  }

  void Ack(uint64_t start) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(start);
    if (it != pending_.end() && --it->second <= 0)
      pending_.erase(it);
  }

  void SetConsumed(uint64_t offset) {
    std::lock_guard<std::mutex> lock(mu_);
    consumed_ = offset;
  }

  uint64_t Acked() const {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_.empty())
      return consumed_;
    return std::min(consumed_, pending_.begin()->first);
  }

  bool HasPending() const {
    std::lock_guard<std::mutex> lock(mu_);
    return !pending_.empty();
  }

 private:
  mutable std::mutex mu_;
  std::map<uint64_t, int> pending_;  // entry start offset -> acks still awaited
  uint64_t consumed_;
};

// What an entry carries so its client can acknowledge it.
struct AckToken {
  std::shared_ptr<FileProgress> progress;  // null: nothing to acknowledge (tests, dry-run)
  uint64_t start = 0;

  void Ack() const {
    if (progress)
      progress->Ack(start);
  }
};

}  // namespace sluice::agent
