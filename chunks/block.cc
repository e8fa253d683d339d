#include "chunks/block.h"

#include <algorithm>

#include <zstd.h>

#include "chunks/chunk_format.h"
#include "common/coding.h"

namespace sluice::chunks {

struct BlockBuilder::Ctx {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();

  ~Ctx() { ZSTD_freeCCtx(cctx); }
};

void EncodeMetadata(std::span<const Label> metadata, std::string* out) {
  PutVarint32(out, static_cast<uint32_t>(metadata.size()));
  for (const Label& l : metadata) {
    PutLengthPrefixed(out, l.name);
    PutLengthPrefixed(out, l.value);
  }
}

BlockBuilder::BlockBuilder(int level) : ctx_(std::make_unique<Ctx>()) {
  ZSTD_CCtx_setParameter(ctx_->cctx, ZSTD_c_compressionLevel, level);
}

BlockBuilder::~BlockBuilder() = default;

void BlockBuilder::Add(int64_t ts, std::string_view line, std::string_view metadata) {
  if (entries_ == 0) {
    min_ts_ = ts;
    prev_ts_ = 0;
  }
  PutVarsint64(&ts_col_, ts - prev_ts_);
  prev_ts_ = ts;
  max_ts_ = ts;
  PutVarint32(&len_col_, static_cast<uint32_t>(line.size()));
  // metadata = varint count + pairs: the count goes to its own column.
  std::string_view md = metadata;
  uint32_t count = 0;
  if (!md.empty() && GetVarint32(&md, &count)) {
    md_count_col_.append(metadata.data(), metadata.size() - md.size());
    md_col_.append(md);
  } else {
    md_count_col_.push_back('\0');
  }
  lines_.append(line);
  ++entries_;
}

size_t BlockBuilder::size_estimate() const {
  return ts_col_.size() + len_col_.size() + md_count_col_.size() + md_col_.size() + lines_.size();
}

Status BlockBuilder::Finish(std::string* out, BlockInfo* info) {
  std::string prefix;
  PutVarint32(&prefix, entries_);
  prefix.append(ts_col_).append(len_col_).append(md_count_col_).append(md_col_);
  size_t total = prefix.size() + lines_.size();
  if (total > kMaxBlockUncompressedBytes) {
    return InternalError("block too large");
  }

  ZSTD_CCtx* cctx = ctx_->cctx;
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
  ZSTD_CCtx_setPledgedSrcSize(cctx, total);
  size_t start = out->size();
  out->resize(start + ZSTD_compressBound(total));
  ZSTD_outBuffer ob{out->data() + start, out->size() - start, 0};
  for (int part = 0; part < 2; ++part) {
    std::string_view src = part == 0 ? std::string_view(prefix) : std::string_view(lines_);
    ZSTD_inBuffer ib{src.data(), src.size(), 0};
    ZSTD_EndDirective mode = part == 0 ? ZSTD_e_continue : ZSTD_e_end;
    size_t rc;
    do {
      rc = ZSTD_compressStream2(cctx, &ob, &ib, mode);
      if (ZSTD_isError(rc)) {
        out->resize(start);
        return InternalError(std::string("zstd compress: ") + ZSTD_getErrorName(rc));
      }
    } while (mode == ZSTD_e_end ? rc != 0 : ib.pos < ib.size);
  }
  out->resize(start + ob.pos);

  info->offset = start;
  info->compressed = static_cast<uint32_t>(ob.pos);
  info->uncompressed = static_cast<uint32_t>(total);
  info->entries = entries_;
  info->min_ts = min_ts_;
  info->max_ts = max_ts_;
  info->crc = crc32c::Mask(crc32c::Value(out->data() + start, ob.pos));

  entries_ = 0;
  ts_col_.clear();
  len_col_.clear();
  md_count_col_.clear();
  md_col_.clear();
  lines_.clear();
  return Status::Ok();
}

struct DecodedBlock::Ctx {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  std::unique_ptr<char[]> body;
  size_t capacity = 0;

  ~Ctx() { ZSTD_freeDCtx(dctx); }
};

// Contexts of destroyed DecodedBlocks, for the next ones on this thread.
constexpr size_t kPooledContexts = 4;

std::vector<std::unique_ptr<DecodedBlock::Ctx>>& DecodedBlock::ContextPool() {
  thread_local std::vector<std::unique_ptr<Ctx>> pool;
  return pool;
}

DecodedBlock::DecodedBlock() {
  auto& pool = ContextPool();
  if (pool.empty()) {
    ctx_ = std::make_unique<Ctx>();
  } else {
    ctx_ = std::move(pool.back());
    pool.pop_back();
  }
}

DecodedBlock::~DecodedBlock() {
  auto& pool = ContextPool();
  if (pool.size() < kPooledContexts) {
    pool.push_back(std::move(ctx_));
  }
}

Status DecodedBlock::Decode(std::string_view compressed, const BlockInfo& info) {
  auto corrupt = [](std::string_view what) {
    return CorruptionError("chunk block: " + std::string(what));
  };
  ts_.clear();
  if (crc32c::Unmask(info.crc) != crc32c::Value(compressed)) {
    return corrupt("checksum mismatch");
  }
  if (info.uncompressed > kMaxBlockUncompressedBytes) {
    return corrupt("size out of range");
  }
  if (ctx_->capacity < info.uncompressed || ctx_->body == nullptr) {
    ctx_->capacity = std::max<size_t>(info.uncompressed, 1);
    ctx_->body = std::make_unique_for_overwrite<char[]>(ctx_->capacity);
  }
  char* body = ctx_->body.get();
  body_ = body;
  size_t n = ZSTD_decompressDCtx(ctx_->dctx, body, info.uncompressed, compressed.data(),
                                 compressed.size());
  if (ZSTD_isError(n) || n != info.uncompressed) {
    return corrupt("zstd frame does not decode");
  }

  std::string_view in(body_, info.uncompressed);
  uint32_t count = 0;
  if (!GetVarint32(&in, &count) || count != info.entries || count > in.size()) {
    return corrupt("entry count mismatch");
  }
  ts_.resize(count);
  line_off_.resize(count + 1);
  md_off_.resize(count + 1);
  md_count_.resize(count);
  int64_t ts = 0;
  for (uint32_t i = 0; i < count; ++i) {
    int64_t delta;
    if (!GetVarsint64(&in, &delta)) {
      ts_.clear();
      return corrupt("bad timestamp");
    }
    ts = static_cast<int64_t>(static_cast<uint64_t>(ts) + static_cast<uint64_t>(delta));
    ts_[i] = ts;
  }
  auto fail = [&](std::string_view what) {
    ts_.clear();
    return corrupt(what);
  };
  if (count > 0 && (ts_.front() != info.min_ts || ts_.back() != info.max_ts)) {
    return fail("time range mismatch");
  }
  uint64_t line_total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t len;
    if (!GetVarint32(&in, &len)) {
      return fail("bad line length");
    }
    line_off_[i] = static_cast<uint32_t>(line_total);
    line_total += len;
  }
  if (line_total > info.uncompressed) {
    return fail("line lengths exceed block");
  }
  line_off_[count] = static_cast<uint32_t>(line_total);
  for (uint32_t i = 0; i < count; ++i) {
    if (!GetVarint32(&in, &md_count_[i]) || md_count_[i] > in.size()) {
      return fail("bad metadata count");
    }
  }
  // Validate the pairs and remember where each entry's start; Labels are built by Get().
  for (uint32_t i = 0; i < count; ++i) {
    md_off_[i] = static_cast<uint32_t>(in.data() - body_);
    for (uint32_t k = 0; k < md_count_[i]; ++k) {
      std::string_view name, value;
      if (!GetLengthPrefixed(&in, &name) || !GetLengthPrefixed(&in, &value)) {
        return fail("bad metadata");
      }
    }
  }
  md_off_[count] = static_cast<uint32_t>(in.data() - body_);
  if (in.size() != line_total) {
    return fail("line bytes mismatch");
  }
  uint32_t base = static_cast<uint32_t>(in.data() - body_);
  for (uint32_t& off : line_off_) {
    off += base;
  }
  return Status::Ok();
}

Entry DecodedBlock::Get(size_t i) const {
  Entry e;
  e.timestamp_ns = ts_[i];
  e.line = line(i);
  md_.clear();
  if (md_count_[i] > 0) {
    std::string_view in(body_ + md_off_[i], md_off_[i + 1] - md_off_[i]);
    for (uint32_t k = 0; k < md_count_[i]; ++k) {
      std::string_view name, value;
      GetLengthPrefixed(&in, &name);  // validated by Decode
      GetLengthPrefixed(&in, &value);
      md_.push_back(Label{std::string(name), std::string(value)});
    }
  }
  e.metadata = md_;
  return e;
}

}  // namespace sluice::chunks
