// Chunk objects (chunks/FORMAT.md): immutable, self-describing files holding one stream's
// entries for a time range as zstd-compressed blocks, with a block index (per block time
// range, entry count, CRC) so readers decompress only the blocks a query overlaps.
//
//   ChunkBuilder b(tenant, fp, labels, ChunkBuilder::Options{});
//   for (...) b.Add(ts, line, encoded_metadata);           // in timestamp order
//   SLUICE_ASSIGN_OR_RETURN(std::string bytes, b.Finish());
//   SLUICE_ASSIGN_OR_RETURN(auto chunk, Chunk::Parse(std::move(bytes)));
//   auto it = NewChunkIterator(chunk, start, end, Direction::kBackward);
//
// Thread-safety: a ChunkBuilder is single-threaded; a parsed Chunk is immutable and may be
// shared by many iterators on many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chunks/block.h"
#include "chunks/line_filter.h"
#include "common/iterator.h"
#include "common/labels.h"
#include "common/result.h"

namespace sluice::chunks {

class ChunkBuilder {
 public:
  struct Options {
    size_t block_bytes = 512 * 1024;  // uncompressed body size at which a block is sealed
    int level = 1;                    // zstd level (see StoreOptions)
  };

  ChunkBuilder(std::string tenant, uint64_t fp, Labels labels, Options options);

  // REQUIRES: ts >= the previous Add's ts. `metadata` is in EncodeMetadata form ("" = none).
  void Add(int64_t ts, std::string_view line, std::string_view metadata);

  uint32_t entries() const { return entries_; }

  // Uncompressed bytes added (timestamps excluded): lines + encoded metadata.
  uint64_t uncompressed_bytes() const { return uncompressed_; }

  // REQUIRES: entries() > 0. Returns the chunk object; the builder is spent.
  Result<std::string> Finish();

 private:
  Status SealBlock();

  std::string tenant_;
  uint64_t fp_;
  Labels labels_;
  Options options_;
  BlockBuilder block_;
  std::string out_;
  std::vector<BlockInfo> blocks_;
  uint32_t entries_ = 0;
  uint64_t uncompressed_ = 0;
  Status status_;
};

class Chunk {
 public:
  // Validates magic, version, footer and the meta section's CRC (blocks are checked when read).
  static Result<std::shared_ptr<const Chunk>> Parse(std::string bytes);

  const std::string& tenant() const { return tenant_; }

  uint64_t fp() const { return fp_; }

  const Labels& labels() const { return labels_; }

  const std::vector<BlockInfo>& blocks() const { return blocks_; }

  int64_t from_ns() const { return blocks_.front().min_ts; }

  int64_t through_ns() const { return blocks_.back().max_ts; }

  uint64_t entries() const;

  size_t size() const { return bytes_.size(); }

  // Compressed bytes of block i (CRC not yet checked).
  std::string_view BlockBytes(size_t i) const;

 private:
  Chunk() = default;
  std::string bytes_;
  std::string tenant_;
  uint64_t fp_ = 0;
  Labels labels_;
  std::vector<BlockInfo> blocks_;  // never empty, sorted by time
};

// Entries of `chunk` with start <= ts < end (and a line `filter` accepts) in `direction` order;
// only overlapping blocks are decompressed. A corrupt block stops the iterator with a
// Corruption status().
std::unique_ptr<EntryIterator> NewChunkIterator(std::shared_ptr<const Chunk> chunk,
                                                int64_t start_ns, int64_t end_ns,
                                                Direction direction, LineFilterFn filter = {});

// "<tenant>/<fp 16 hex>/<from 16 hex>-<through 16 hex>-<crc 8 hex>" (times as unsigned hex so
// keys of a stream sort by start time). `crc` is the CRC32C of the whole chunk object.
std::string ChunkKey(std::string_view tenant, uint64_t fp, int64_t from_ns, int64_t through_ns,
                     uint32_t crc);

struct ParsedChunkKey {
  std::string tenant;
  uint64_t fp = 0;
  int64_t from_ns = 0, through_ns = 0;
  uint32_t crc = 0;
};

// False when `key` is not a chunk key (e.g. a temporary file).
bool ParseChunkKey(std::string_view key, ParsedChunkKey* out);

}  // namespace sluice::chunks
