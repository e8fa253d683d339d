// Reading a WAL directory back at Open (chunks/WAL.md, "Replay"): every segment in number
// order, every intact record to a visitor. Damage never fails the replay: a torn tail or a
// corrupt region is logged with spdlog::warn, counted, and skipped (the reader resumes at the
// next intact record); a record of an unknown type without the skip-safe bit ends the replay of
// its segment. Only I/O errors (unreadable directory or file) are returned.
// Thread-safety: a plain function.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "chunks/wal_record.h"
#include "common/file_system.h"
#include "common/result.h"

namespace sluice::chunks::wal {

struct ReplayOptions {
  // Called before the records of each segment.
  std::function<void(uint64_t segment)> begin_segment;
  // Records whose type byte this rejects are skipped undecoded (cheap first passes). Null: all.
  std::function<bool(uint8_t type)> want;
  // Called before each wanted record is decoded with its WalPosition (segment and the offset
  // just past the record, as WalWriter::position() reported right after appending it).
  std::function<void(uint64_t position)> record_position;
  // Log damaged regions (off for a second pass over the same files).
  bool log_corruption = true;
};

struct ReplayResult {
  std::map<uint64_t, uint64_t> segments;  // number -> file size
  uint64_t records = 0;
  uint64_t corruptions = 0;  // damaged regions skipped
};

Result<ReplayResult> ReplayWal(FileSystem* fs, const std::string& dir, RecordVisitor* visitor,
                               const ReplayOptions& options);

}  // namespace sluice::chunks::wal
