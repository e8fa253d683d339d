// One block of a chunk: a run of time-sorted entries stored column-wise (timestamps as
// delta varints, then line lengths, metadata, then the line bytes) and compressed as a single
// zstd frame. Layout in chunks/FORMAT.md. Separating the columns lets zstd see the lines as one
// text and keeps timestamps to ~1-2 bytes per entry.
//
// BlockBuilder accumulates entries and emits compressed blocks; DecodedBlock decompresses and
// validates one. Thread-safety: none (one object per thread).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chunks/line_filter.h"
#include "common/iterator.h"
#include "common/status.h"

namespace sluice::chunks {

// Index entry of a block inside a chunk.
struct BlockInfo {
  uint64_t offset = 0;        // of the compressed bytes within the chunk
  uint32_t compressed = 0;    // compressed size
  uint32_t uncompressed = 0;  // size of the block body before compression
  uint32_t entries = 0;
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  uint32_t crc = 0;  // masked CRC32C of the compressed bytes
};

// Appends the structured metadata of an entry in the form blocks and head blocks store it:
// varint pair count, then (length-prefixed name, length-prefixed value) per pair.
void EncodeMetadata(std::span<const Label> metadata, std::string* out);

class BlockBuilder {
 public:
  explicit BlockBuilder(int level);
  ~BlockBuilder();
  BlockBuilder(const BlockBuilder&) = delete;
  BlockBuilder& operator=(const BlockBuilder&) = delete;

  // REQUIRES: ts >= the previous entry's ts. `metadata` is in EncodeMetadata form.
  void Add(int64_t ts, std::string_view line, std::string_view metadata);

  bool empty() const { return entries_ == 0; }

  // Uncompressed body size so far.
  size_t size_estimate() const;
  // Compresses the pending entries, appends the frame to `out`, fills `info` (offset =
  // out->size() before the call) and resets the builder.
  Status Finish(std::string* out, BlockInfo* info);

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  uint32_t entries_ = 0;
  int64_t min_ts_ = 0, max_ts_ = 0, prev_ts_ = 0;
  std::string ts_col_, len_col_, md_count_col_, md_col_, lines_;
};

// A decompressed, validated block. Entries are accessible by index in time order. The body
// buffer and the zstd context are reused by the next Decode and, once the DecodedBlock is
// destroyed, by the next one made on the same thread, so a scan over many chunks allocates
// them a few times only; structured metadata is validated at Decode but turned into Labels only by
// Get, so entries a line filter rejects cost no copies.
class DecodedBlock {
 public:
  DecodedBlock();
  ~DecodedBlock();
  DecodedBlock(const DecodedBlock&) = delete;
  DecodedBlock& operator=(const DecodedBlock&) = delete;

  // Verifies the CRC, decompresses and parses. Corruption on any mismatch.
  Status Decode(std::string_view compressed, const BlockInfo& info);

  size_t size() const { return ts_.size(); }

  // REQUIRES: i < size(). The line view is valid until the next Decode(), the metadata view
  // until the next Get() or Decode().
  Entry Get(size_t i) const;

  int64_t timestamp(size_t i) const { return ts_[i]; }

  std::string_view line(size_t i) const {
    return std::string_view(body_ + line_off_[i], line_off_[i + 1] - line_off_[i]);
  }

  // The entry's structured metadata names and values, without building Labels; valid until the
  // next Decode().
  MetadataView metadata(size_t i) const {
    return MetadataView(std::string_view(body_ + md_off_[i], md_off_[i + 1] - md_off_[i]),
                        md_count_[i]);
  }

 private:
  struct Ctx;  // zstd context and body buffer, recycled through a per-thread pool
  static std::vector<std::unique_ptr<Ctx>>& ContextPool();
  std::unique_ptr<Ctx> ctx_;
  const char* body_ = nullptr;  // ctx_'s buffer
  std::vector<int64_t> ts_;
  std::vector<uint32_t> line_off_;  // size()+1 offsets into body_
  std::vector<uint32_t> md_off_;    // size()+1 offsets into body_ of each entry's pairs
  std::vector<uint32_t> md_count_;  // pairs per entry
  mutable std::vector<Label> md_;   // the last Get()'s metadata
};

}  // namespace sluice::chunks
