#include "chunks/chunk.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "chunks/chunk_format.h"
#include "common/coding.h"

namespace sluice::chunks {

ChunkBuilder::ChunkBuilder(std::string tenant, uint64_t fp, Labels labels, Options options)
    : tenant_(std::move(tenant)),
      fp_(fp),
      labels_(std::move(labels)),
      options_(options),
      block_(options.level) {
  out_.append(kChunkMagic);
  out_.push_back(static_cast<char>(kChunkVersion));
  out_.push_back(static_cast<char>(kCodecZstd));
}

void ChunkBuilder::Add(int64_t ts, std::string_view line, std::string_view metadata) {
  block_.Add(ts, line, metadata);
  ++entries_;
  uncompressed_ += line.size() + (metadata.size() > 1 ? metadata.size() : 0);
  if (block_.size_estimate() >= options_.block_bytes) {
    Status st = SealBlock();
    if (status_.ok()) {
      status_ = st;
    }
  }
}

Status ChunkBuilder::SealBlock() {
  BlockInfo info;
  SLUICE_RETURN_IF_ERROR(block_.Finish(&out_, &info));
  blocks_.push_back(info);
  return Status::Ok();
}

Result<std::string> ChunkBuilder::Finish() {
  if (!block_.empty()) {
    Status st = SealBlock();
    if (status_.ok()) {
      status_ = st;
    }
  }
  SLUICE_RETURN_IF_ERROR(status_);
  if (blocks_.empty()) {
    return InternalError("chunk without entries");
  }
  uint64_t meta_offset = out_.size();
  std::string meta;
  PutLengthPrefixed(&meta, tenant_);
  PutFixed64(&meta, fp_);
  PutVarint32(&meta, static_cast<uint32_t>(labels_.size()));
  for (const Label& l : labels_) {
    PutLengthPrefixed(&meta, l.name);
    PutLengthPrefixed(&meta, l.value);
  }
  PutVarint32(&meta, static_cast<uint32_t>(blocks_.size()));
  for (const BlockInfo& b : blocks_) {
    PutVarint64(&meta, b.offset);
    PutVarint32(&meta, b.compressed);
    PutVarint32(&meta, b.uncompressed);
    PutVarint32(&meta, b.entries);
    PutVarsint64(&meta, b.min_ts);
    PutVarint64(&meta, static_cast<uint64_t>(b.max_ts - b.min_ts));
    PutFixed32(&meta, b.crc);
  }
  out_.append(meta);
  PutFixed64(&out_, meta_offset);
  PutFixed32(&out_, crc32c::Mask(crc32c::Value(meta)));
  out_.append(kChunkMagic);
  return std::move(out_);
}

Result<std::shared_ptr<const Chunk>> Chunk::Parse(std::string bytes) {
  auto corrupt = [](std::string_view what) {
    return CorruptionError("chunk: " + std::string(what));
  };
  if (bytes.size() < kChunkHeaderSize + kChunkFooterSize) {
    return corrupt("too short");
  }
  std::string_view all = bytes;
  if (all.substr(0, 4) != kChunkMagic || all.substr(all.size() - 4) != kChunkMagic) {
    return corrupt("bad magic");
  }
  if (static_cast<uint8_t>(all[4]) != kChunkVersion) {
    return corrupt("unsupported version " + std::to_string(static_cast<uint8_t>(all[4])));
  }
  if (static_cast<uint8_t>(all[5]) != kCodecZstd) {
    return corrupt("unknown codec");
  }
  const char* footer = all.data() + all.size() - kChunkFooterSize;
  uint64_t meta_offset = DecodeFixed64(footer);
  uint64_t meta_end = all.size() - kChunkFooterSize;
  if (meta_offset < kChunkHeaderSize || meta_offset > meta_end) {
    return corrupt("bad meta offset");
  }
  std::string_view meta = all.substr(meta_offset, meta_end - meta_offset);
  if (crc32c::Unmask(DecodeFixed32(footer + 8)) != crc32c::Value(meta)) {
    return corrupt("meta checksum mismatch");
  }

  std::shared_ptr<Chunk> c(new Chunk());
  std::string_view tenant;
  uint32_t nlabels = 0;
  if (!GetLengthPrefixed(&meta, &tenant) || !GetFixed64(&meta, &c->fp_) ||
      !GetVarint32(&meta, &nlabels) || nlabels > kMaxLabelsPerStream) {
    return corrupt("bad meta");
  }
  c->tenant_ = std::string(tenant);
  std::vector<Label> pairs;
  for (uint32_t i = 0; i < nlabels; ++i) {
    std::string_view name, value;
    if (!GetLengthPrefixed(&meta, &name) || !GetLengthPrefixed(&meta, &value)) {
      return corrupt("bad labels");
    }
    pairs.push_back(Label{std::string(name), std::string(value)});
  }
  c->labels_ = Labels(std::move(pairs));
  uint32_t nblocks = 0;
  if (!GetVarint32(&meta, &nblocks) || nblocks == 0 || nblocks > meta.size()) {
    return corrupt("bad block count");
  }
  uint64_t next_offset = kChunkHeaderSize;
  for (uint32_t i = 0; i < nblocks; ++i) {
    BlockInfo b;
    uint64_t span = 0;
    if (!GetVarint64(&meta, &b.offset) || !GetVarint32(&meta, &b.compressed) ||
        !GetVarint32(&meta, &b.uncompressed) || !GetVarint32(&meta, &b.entries) ||
        !GetVarsint64(&meta, &b.min_ts) || !GetVarint64(&meta, &span) ||
        !GetFixed32(&meta, &b.crc)) {
      return corrupt("bad block index");
    }
    b.max_ts = static_cast<int64_t>(static_cast<uint64_t>(b.min_ts) + span);
    if (b.offset != next_offset || b.compressed > meta_offset - b.offset || b.entries == 0 ||
        b.max_ts < b.min_ts || (!c->blocks_.empty() && b.min_ts < c->blocks_.back().max_ts)) {
      return corrupt("block index out of order or out of bounds");
    }
    next_offset = b.offset + b.compressed;
    c->blocks_.push_back(b);
  }
  if (next_offset != meta_offset || !meta.empty()) {
    return corrupt("trailing bytes");
  }
  c->bytes_ = std::move(bytes);
  return std::shared_ptr<const Chunk>(std::move(c));
}

uint64_t Chunk::entries() const {
  uint64_t n = 0;
  for (const BlockInfo& b : blocks_) {
    n += b.entries;
  }
  return n;
}

std::string_view Chunk::BlockBytes(size_t i) const {
  return std::string_view(bytes_).substr(blocks_[i].offset, blocks_[i].compressed);
}

namespace {

class ChunkIterator final : public EntryIterator {
 public:
  ChunkIterator(std::shared_ptr<const Chunk> chunk, int64_t start, int64_t end, Direction dir,
                LineFilterFn filter)
      : chunk_(std::move(chunk)),
        start_(start),
        end_(end),
        forward_(dir == Direction::kForward),
        filter_(std::move(filter)) {
    const auto& blocks = chunk_->blocks();
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].max_ts >= start_ && blocks[i].min_ts < end_) {
        selected_.push_back(i);
      }
    }
    if (!forward_) {
      std::reverse(selected_.begin(), selected_.end());
    }
  }

  bool Next() override {
    while (status_.ok()) {
      if (pos_ < count_) {
        size_t i = forward_ ? pos_ : count_ - 1 - pos_;
        ++pos_;
        int64_t ts = block_.timestamp(i);
        if (ts < start_ || ts >= end_) {
          continue;
        }
        if (filter_) {
          const std::string_view line = block_.line(i);
          if (!filter_(line, block_.metadata(i))) {
            dropped_.Add(line);
            continue;
          }
        }
        cur_ = block_.Get(i);
        return true;
      }
      dropped_.Flush();  // once per block
      if (next_block_ >= selected_.size()) {
        return false;
      }
      size_t b = selected_[next_block_++];
      status_ = block_.Decode(chunk_->BlockBytes(b), chunk_->blocks()[b]);
      pos_ = 0;
      count_ = status_.ok() ? block_.size() : 0;
    }
    return false;
  }

  const Entry& At() const override { return cur_; }

  const Labels& StreamLabels() const override { return chunk_->labels(); }

  uint64_t StreamHash() const override { return chunk_->fp(); }

  Status status() const override { return status_; }

 private:
  std::shared_ptr<const Chunk> chunk_;
  int64_t start_, end_;
  bool forward_;
  LineFilterFn filter_;
  DroppedTally dropped_{&filter_};  // after filter_: reports on destruction
  std::vector<size_t> selected_;
  size_t next_block_ = 0;
  DecodedBlock block_;
  size_t pos_ = 0, count_ = 0;
  Entry cur_;
  Status status_;
};

}  // namespace

std::unique_ptr<EntryIterator> NewChunkIterator(std::shared_ptr<const Chunk> chunk,
                                                int64_t start_ns, int64_t end_ns,
                                                Direction direction, LineFilterFn filter) {
  return std::make_unique<ChunkIterator>(std::move(chunk), start_ns, end_ns, direction,
                                         std::move(filter));
}

std::string ChunkKey(std::string_view tenant, uint64_t fp, int64_t from_ns, int64_t through_ns,
                     uint32_t crc) {
  char buf[80];
  std::snprintf(buf, sizeof(buf), "/%016" PRIx64 "/%016" PRIx64 "-%016" PRIx64 "-%08" PRIx32, fp,
                static_cast<uint64_t>(from_ns), static_cast<uint64_t>(through_ns), crc);
  return std::string(tenant) + buf;
}

namespace {

bool ParseHex(std::string_view s, size_t digits, uint64_t* out) {
  if (s.size() != digits) {
    return false;
  }
  uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) {
      return false;
    }
    v = v << 4 | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseChunkKey(std::string_view key, ParsedChunkKey* out) {
  // tenant / 16 / 16 - 16 - 8
  constexpr size_t kTail = 1 + 16 + 1 + 16 + 1 + 16 + 1 + 8;
  if (key.size() <= kTail) {
    return false;
  }
  std::string_view tail = key.substr(key.size() - kTail);
  uint64_t fp, from, through, crc;
  if (tail[0] != '/' || tail[17] != '/' || tail[34] != '-' || tail[51] != '-' ||
      !ParseHex(tail.substr(1, 16), 16, &fp) || !ParseHex(tail.substr(18, 16), 16, &from) ||
      !ParseHex(tail.substr(35, 16), 16, &through) || !ParseHex(tail.substr(52, 8), 8, &crc)) {
    return false;
  }
  out->tenant = std::string(key.substr(0, key.size() - kTail));
  out->fp = fp;
  out->from_ns = static_cast<int64_t>(from);
  out->through_ns = static_cast<int64_t>(through);
  out->crc = static_cast<uint32_t>(crc);
  return true;
}

}  // namespace sluice::chunks
