// WalWriter: appends framed records to numbered segment files under a directory and makes
// them durable with group commit (chunks/WAL.md).
//
// Writing is split in two so that many threads share one fdatasync:
//   uint64_t lsn = wal.Append([&](uint64_t segment, const WalWriter::AddFn& add) {
//     add(record1); add(record2);   // framed now, under the writer's lock, in call order
//   });
//   SLUICE_RETURN_IF_ERROR(wal.Sync(lsn));  // returns once every byte up to lsn is synced
// Sync elects one waiting caller as leader; it writes all pending bytes and calls Sync() on the
// file once; the others wait and return together. A write or sync failure is sticky: every
// later Sync returns it (the WAL's tail is then unknown; the Store must be reopened).
//
// Segments are named "%08u.wal"; a new one starts (beginning with a segment header record)
// when the current one would exceed `segment_bytes`. `segment` given to the fill function is
// the segment the records will land in.
// Thread-safety: all methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "chunks/wal_framing.h"
#include "common/file_system.h"
#include "common/result.h"

namespace sluice::chunks::wal {

std::string SegmentFileName(uint64_t segment);

// A place in the log that orders records across segments and restarts (segment numbers only
// grow): segment * 2^32 + byte offset within the segment (segments stay far below 4 GiB).
inline uint64_t WalPosition(uint64_t segment, uint64_t offset) {
  return segment << 32 | offset;
}

// False if `name` is not a segment file name.
bool ParseSegmentFileName(std::string_view name, uint64_t* segment);

class WalWriter {
 public:
  using AddFn = std::function<void(std::string_view record)>;
  using FillFn = std::function<void(uint64_t segment, const AddFn& add)>;

  struct Stats {
    uint64_t segments = 0;  // live segment files (including ones from before Open)
    uint64_t bytes = 0;     // their total size
    uint64_t syncs = 0;
    uint64_t records = 0;
  };

  // Starts segment `first_segment` in `dir` (which must exist). `existing` are older segment
  // numbers found in `dir` with their sizes, kept until DeleteSegmentsBefore removes them.
  static Result<std::unique_ptr<WalWriter>> Open(FileSystem* fs, std::string dir,
                                                 uint64_t first_segment, size_t segment_bytes,
                                                 std::map<uint64_t, uint64_t> existing);
  ~WalWriter();

  // Frames the records `fill` adds; returns the log sequence number to pass to Sync.
  uint64_t Append(const FillFn& fill);
  // OK unless a write or sync has failed (sticky; see above).
  Status status();
  // Waits until everything up to `lsn` is durable.
  Status Sync(uint64_t lsn);
  // Segment that records appended now land in.
  uint64_t current_segment();
  // WalPosition just past the last record appended (what a replay reports for that record).
  uint64_t position();
  // True when a live segment numbered below `segment` exists (DeleteSegmentsBefore would
  // remove something).
  bool HasSegmentsBefore(uint64_t segment);
  // Starts a new segment (and its file) if the current one holds more than `min_bytes`, so
  // that the current one can be deleted once nothing needs it. Returns the new current segment.
  Result<uint64_t> Rotate(uint64_t min_bytes);
  // Removes segment files numbered below `segment` (never the one being written).
  Status DeleteSegmentsBefore(uint64_t segment);
  Stats GetStats();

 private:
  WalWriter(FileSystem* fs, std::string dir, size_t segment_bytes);

  struct Piece {
    uint64_t segment;
    std::string bytes;
  };

  void StartSegmentLocked(uint64_t segment);
  Status WritePieces(std::vector<Piece>& pieces);

  FileSystem* const fs_;
  const std::string dir_;
  const size_t segment_bytes_;

  std::mutex mu_;              // guards the logical state below
  uint64_t segment_ = 0;       // logical current segment
  uint64_t segment_size_ = 0;  // logical size of it
  FragmentWriter framer_;
  std::vector<Piece> pending_;
  uint64_t lsn_ = 0;                    // bytes framed so far
  std::map<uint64_t, uint64_t> sizes_;  // segment -> size (logical), every live segment
  uint64_t records_ = 0;

  std::mutex sync_mu_;  // guards the physical state below
  std::condition_variable sync_cv_;
  bool leader_active_ = false;
  uint64_t synced_lsn_ = 0;
  Status failed_;
  uint64_t syncs_ = 0;
  // Only the leader touches these.
  std::unique_ptr<WritableFile> file_;
  std::atomic<uint64_t> file_segment_{0};  // read by DeleteSegmentsBefore
};

}  // namespace sluice::chunks::wal
