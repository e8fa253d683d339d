// WAL records (chunks/WAL.md, "Records"): what the framed payloads mean. Encoders append one
// record's payload to a string; DecodeRecord parses one payload and calls a visitor.
// Thread-safety: the functions are reentrant; a builder or visitor is single-threaded.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/status.h"

namespace sluice::chunks::wal {

void EncodeSegmentHeader(uint64_t segment, std::string* out);
void EncodeSeries(std::string_view tenant, uint64_t fp, const Labels& labels, std::string* out);
// Entries of stream `fp` with first_seq <= sequence number <= through_seq are durable in
// chunk `key` once that object exists.
void EncodeFlushed(std::string_view tenant, uint64_t fp, uint64_t first_seq, uint64_t through_seq,
                   std::string_view key, std::string* out);

// Builds one entries record holding the entries of one Append call for one tenant.
class EntriesRecordBuilder {
 public:
  void Reset(std::string_view tenant);
  // Starts the entries of one stream; `count` entries must follow. Entry i gets sequence number
  // first_seq + i.
  void BeginStream(uint64_t fp, uint64_t first_seq, uint32_t count);
  void AddEntry(const Entry& e);

  bool empty() const { return streams_ == 0; }

  // Appends the record payload to `out`, zstd-compressed at `level` (negative: zstd's fast
  // levels) when level != 0 and the body is big enough to gain.
  Status Finish(int level, std::string* out);

 private:
  std::string tenant_;
  std::string streams_buf_;
  uint32_t streams_ = 0;
  int64_t prev_ts_ = 0;
};

class RecordVisitor {
 public:
  virtual ~RecordVisitor() = default;
  virtual void OnSegmentHeader(uint64_t segment, uint8_t version) = 0;
  virtual void OnSeries(std::string_view tenant, uint64_t fp, Labels labels) = 0;
  // `entries` views are valid during the call only.
  virtual void OnEntries(std::string_view tenant, uint64_t fp, uint64_t first_seq,
                         std::span<const Entry> entries) = 0;
  virtual void OnFlushed(std::string_view tenant, uint64_t fp, uint64_t first_seq,
                         uint64_t through_seq, std::string_view key) = 0;
};

// Parses one record payload. Unknown types with kSkipSafeBit are skipped (OK); unknown types
// without it give FailedPrecondition; malformed payloads give Corruption. Nothing is passed to
// the visitor for a record that fails to decode.
Status DecodeRecord(std::string_view record, RecordVisitor* visitor);

}  // namespace sluice::chunks::wal
