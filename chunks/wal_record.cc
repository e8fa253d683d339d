#include "chunks/wal_record.h"

#include <memory>

#include <zstd.h>

#include "chunks/wal_format.h"
#include "common/coding.h"

namespace sluice::chunks::wal {

namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// Contexts are reused per thread: creating one per record would cost more than compressing.
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx(ZSTD_createCCtx());
  return ctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> ctx(ZSTD_createDCtx());
  return ctx.get();
}

Status Corrupt(std::string_view what) {
  return CorruptionError("wal record: " + std::string(what));
}

bool GetLabels(std::string_view* in, std::vector<Label>* out) {
  uint32_t n;
  if (!GetVarint32(in, &n) || n > in->size()) {
    return false;
  }
  for (uint32_t i = 0; i < n; ++i) {
    std::string_view name, value;
    if (!GetLengthPrefixed(in, &name) || !GetLengthPrefixed(in, &value)) {
      return false;
    }
    out->push_back(Label{std::string(name), std::string(value)});
  }
  return true;
}

Status DecodeEntries(std::string_view tenant, std::string_view body, RecordVisitor* v) {
  uint32_t nstreams;
  if (!GetVarint32(&body, &nstreams)) {
    return Corrupt("bad stream count");
  }

  // Decode everything first, so a malformed record reaches the visitor not at all.
  struct StreamPart {
    uint64_t fp, first_seq;
    size_t begin, end;  // into entries
  };

  std::vector<StreamPart> parts;
  std::vector<Entry> entries;
  std::vector<std::pair<size_t, size_t>> md_ranges;  // into md, per entry
  std::vector<Label> md;
  for (uint32_t s = 0; s < nstreams; ++s) {
    StreamPart p;
    uint32_t n;
    if (!GetFixed64(&body, &p.fp) || !GetVarint64(&body, &p.first_seq) || !GetVarint32(&body, &n) ||
        n > body.size()) {
      return Corrupt("bad stream header");
    }
    p.begin = entries.size();
    int64_t ts = 0;
    for (uint32_t i = 0; i < n; ++i) {
      int64_t delta;
      Entry e;
      if (!GetVarsint64(&body, &delta) || !GetLengthPrefixed(&body, &e.line)) {
        return Corrupt("bad entry");
      }
      ts = static_cast<int64_t>(static_cast<uint64_t>(ts) + static_cast<uint64_t>(delta));
      e.timestamp_ns = ts;
      size_t md_begin = md.size();
      if (!GetLabels(&body, &md)) {
        return Corrupt("bad metadata");
      }
      md_ranges.emplace_back(md_begin, md.size());
      entries.push_back(e);
    }
    p.end = entries.size();
    parts.push_back(p);
  }
  if (!body.empty()) {
    return Corrupt("trailing bytes");
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].metadata = std::span<const Label>(md.data() + md_ranges[i].first,
                                                 md_ranges[i].second - md_ranges[i].first);
  }
  for (const StreamPart& p : parts) {
    v->OnEntries(tenant, p.fp, p.first_seq,
                 std::span<const Entry>(entries.data() + p.begin, p.end - p.begin));
  }
  return Status::Ok();
}

}  // namespace

void EncodeSegmentHeader(uint64_t segment, std::string* out) {
  out->push_back(static_cast<char>(kSegmentHeader));
  out->append(kWalMagic);
  out->push_back(static_cast<char>(kWalVersion));
  PutFixed64(out, segment);
}

void EncodeSeries(std::string_view tenant, uint64_t fp, const Labels& labels, std::string* out) {
  out->push_back(static_cast<char>(kSeries));
  PutLengthPrefixed(out, tenant);
  PutFixed64(out, fp);
  PutVarint32(out, static_cast<uint32_t>(labels.size()));
  for (const Label& l : labels) {
    PutLengthPrefixed(out, l.name);
    PutLengthPrefixed(out, l.value);
  }
}

void EncodeFlushed(std::string_view tenant, uint64_t fp, uint64_t first_seq, uint64_t through_seq,
                   std::string_view key, std::string* out) {
  out->push_back(static_cast<char>(kFlushed));
  PutLengthPrefixed(out, tenant);
  PutFixed64(out, fp);
  PutVarint64(out, first_seq);
  PutVarint64(out, through_seq);
  PutLengthPrefixed(out, key);
}

void EntriesRecordBuilder::Reset(std::string_view tenant) {
  tenant_.assign(tenant);
  streams_buf_.clear();
  streams_ = 0;
}

void EntriesRecordBuilder::BeginStream(uint64_t fp, uint64_t first_seq, uint32_t count) {
  PutFixed64(&streams_buf_, fp);
  PutVarint64(&streams_buf_, first_seq);
  PutVarint32(&streams_buf_, count);
  ++streams_;
  prev_ts_ = 0;
}

void EntriesRecordBuilder::AddEntry(const Entry& e) {
  PutVarsint64(&streams_buf_, static_cast<int64_t>(static_cast<uint64_t>(e.timestamp_ns) -
                                                   static_cast<uint64_t>(prev_ts_)));
  prev_ts_ = e.timestamp_ns;
  PutLengthPrefixed(&streams_buf_, e.line);
  PutVarint32(&streams_buf_, static_cast<uint32_t>(e.metadata.size()));
  for (const Label& l : e.metadata) {
    PutLengthPrefixed(&streams_buf_, l.name);
    PutLengthPrefixed(&streams_buf_, l.value);
  }
}

Status EntriesRecordBuilder::Finish(int level, std::string* out) {
  std::string count;
  PutVarint32(&count, streams_);
  size_t raw_len = count.size() + streams_buf_.size();
  out->push_back(static_cast<char>(kEntries));
  PutLengthPrefixed(out, tenant_);
  if (level == 0 || raw_len < kMinCompressBytes) {
    out->push_back(static_cast<char>(kCodecRaw));
    out->append(count).append(streams_buf_);
    return Status::Ok();
  }
  out->push_back(static_cast<char>(kCodecZstd));
  PutVarint64(out, raw_len);
  ZSTD_CCtx* cctx = ThreadCCtx();
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setPledgedSrcSize(cctx, raw_len);
  size_t start = out->size();
  out->resize(start + ZSTD_compressBound(raw_len));
  ZSTD_outBuffer ob{out->data() + start, out->size() - start, 0};
  ZSTD_inBuffer first{count.data(), count.size(), 0};
  size_t rc = ZSTD_compressStream2(cctx, &ob, &first, ZSTD_e_continue);
  ZSTD_inBuffer rest{streams_buf_.data(), streams_buf_.size(), 0};
  while (!ZSTD_isError(rc)) {
    rc = ZSTD_compressStream2(cctx, &ob, &rest, ZSTD_e_end);
    if (rc == 0) {
      break;
    }
  }
  if (ZSTD_isError(rc)) {
    return InternalError(std::string("zstd: ") + ZSTD_getErrorName(rc));
  }
  out->resize(start + ob.pos);
  return Status::Ok();
}

Status DecodeRecord(std::string_view record, RecordVisitor* v) {
  if (record.empty()) {
    return Corrupt("empty");
  }
  uint8_t type = static_cast<uint8_t>(record[0]);
  std::string_view in = record.substr(1);
  std::string_view tenant;
  uint64_t fp = 0;
  switch (type) {
    case kSegmentHeader: {
      uint64_t segment;
      if (in.size() < kWalMagic.size() + 1 || in.substr(0, kWalMagic.size()) != kWalMagic) {
        return Corrupt("bad segment header");
      }
      uint8_t version = static_cast<uint8_t>(in[kWalMagic.size()]);
      in.remove_prefix(kWalMagic.size() + 1);
      if (!GetFixed64(&in, &segment)) {
        return Corrupt("bad segment header");
      }
      if (version != kWalVersion) {
        return FailedPreconditionError("wal: unsupported version " + std::to_string(version));
      }
      v->OnSegmentHeader(segment, version);
      return Status::Ok();
    }
    case kSeries: {
      std::vector<Label> pairs;
      if (!GetLengthPrefixed(&in, &tenant) || !GetFixed64(&in, &fp) || !GetLabels(&in, &pairs) ||
          !in.empty()) {
        return Corrupt("bad series");
      }
      v->OnSeries(tenant, fp, Labels(std::move(pairs)));
      return Status::Ok();
    }
    case kFlushed: {
      uint64_t first, through;
      std::string_view key;
      if (!GetLengthPrefixed(&in, &tenant) || !GetFixed64(&in, &fp) || !GetVarint64(&in, &first) ||
          !GetVarint64(&in, &through) || !GetLengthPrefixed(&in, &key) || !in.empty() ||
          first > through) {
        return Corrupt("bad flushed marker");
      }
      v->OnFlushed(tenant, fp, first, through, key);
      return Status::Ok();
    }
    case kEntries: {
      if (!GetLengthPrefixed(&in, &tenant) || in.empty()) {
        return Corrupt("bad entries header");
      }
      uint8_t codec = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      if (codec == kCodecRaw) {
        return DecodeEntries(tenant, in, v);
      }
      uint64_t raw_len;
      if (codec != kCodecZstd || !GetVarint64(&in, &raw_len) || raw_len > kMaxRecordBytes) {
        return Corrupt("bad entries codec");
      }
      unsigned long long frame = ZSTD_getFrameContentSize(in.data(), in.size());
      if (frame != raw_len) {
        return Corrupt("entries size mismatch");
      }
      std::string raw(raw_len, '\0');
      size_t n = ZSTD_decompressDCtx(ThreadDCtx(), raw.data(), raw.size(), in.data(), in.size());
      if (ZSTD_isError(n) || n != raw_len) {
        return Corrupt("entries do not decompress");
      }
      return DecodeEntries(tenant, raw, v);
    }
    default:
      if (type & kSkipSafeBit) {
        return Status::Ok();
      }
      return FailedPreconditionError("wal: unknown record type " + std::to_string(type));
  }
}

}  // namespace sluice::chunks::wal
