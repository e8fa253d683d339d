// HeadBlock: the in-memory, mutable tail of one stream that has not been cut into a chunk yet.
// Entries are kept in arrival order in one byte arena (no per-entry allocation); out-of-order
// arrivals are allowed and sorted (stably, by timestamp) when iterated or cut.
//
// Thread-safety: none; the Store guards each head with its own lock. NewIterator() copies the
// selected entries, so the iterator stays valid while the head keeps changing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chunks/chunk.h"
#include "chunks/line_filter.h"
#include "common/iterator.h"
#include "common/labels.h"

namespace sluice::chunks {

class HeadBlock {
 public:
  void Append(const Entry& e);
  // Appends one entry whose metadata is already in EncodeMetadata form.
  void AppendEncoded(int64_t ts, std::string_view line, std::string_view metadata);

  bool empty() const { return recs_.empty(); }

  size_t entries() const { return recs_.size(); }

  // Line + metadata bytes held (what target_chunk_bytes compares against).
  size_t bytes() const { return arena_.size(); }

  int64_t min_ts() const { return min_ts_; }

  int64_t max_ts() const { return max_ts_; }

  // Snapshot of the entries with start <= ts < end whose line `filter` accepts, sorted in
  // `direction` order. `labels` is shared with the stream and must stay immutable.
  std::unique_ptr<EntryIterator> NewIterator(std::shared_ptr<const Labels> labels, uint64_t fp,
                                             int64_t start_ns, int64_t end_ns, Direction direction,
                                             const LineFilterFn& filter = {}) const;

  // Feeds every entry, in timestamp order, to `builder`.
  void BuildChunk(ChunkBuilder* builder) const;

 private:
  struct Rec {
    int64_t ts;
    uint32_t off;  // into arena_: line bytes, then metadata bytes
    uint32_t line_len;
    uint32_t md_len;
  };

  // Records an entry whose bytes were just appended to arena_ at `off`.
  void AddRec(int64_t ts, size_t off, size_t line_len, size_t md_len);

  // Indexes of recs_ in stable timestamp order.
  std::vector<uint32_t> SortedOrder() const;

  std::string arena_;
  std::vector<Rec> recs_;
  bool sorted_ = true;
  int64_t min_ts_ = 0, max_ts_ = 0;
};

}  // namespace sluice::chunks
