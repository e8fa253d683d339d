// WAL framing (chunks/WAL.md, "Framing"): splits records into checksummed fragments laid out
// in 32 KiB pages, and reads them back, resynchronising after corruption.
//
// FragmentWriter is a pure encoder: it appends framed bytes to a string, tracking the page
// offset, so the Store can frame records under its lock and write them to the file later.
// FragmentReader reads a whole segment file. Thread-safety: none.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "chunks/wal_format.h"
#include "common/file_system.h"
#include "common/status.h"

namespace sluice::chunks::wal {

class FragmentWriter {
 public:
  // `file_offset`: current size of the file the bytes will be appended to.
  explicit FragmentWriter(uint64_t file_offset = 0) : page_offset_(file_offset % kPageSize) {}

  // Appends `record` framed to `out`.
  void AddRecord(std::string_view record, std::string* out);

 private:
  size_t page_offset_;
};

class FragmentReader {
 public:
  // Receives each skipped region. `bytes` is approximate.
  class Reporter {
   public:
    virtual ~Reporter() = default;
    virtual void Corruption(uint64_t bytes, const Status& reason) = 0;
  };

  // `file` and `reporter` are borrowed.
  FragmentReader(SequentialFile* file, Reporter* reporter);

  // Reads the next complete record into *record (valid until the next call; may point into
  // *scratch). Returns false at end of file. A torn tail (a fragment cut by end of file) ends
  // the file and is reported; a bad checksum or broken fragment sequence is reported and
  // skipped to the next intact record.
  bool ReadRecord(std::string_view* record, std::string* scratch);

  // Offset just past the last record returned.
  uint64_t last_record_end() const { return last_record_end_; }

 private:
  enum : int { kEof = -1, kBad = -2 };

  // Returns a fragment type, or kEof / kBad.
  int ReadFragment(std::string_view* fragment);
  void Report(uint64_t bytes, std::string_view reason);

  SequentialFile* file_;
  Reporter* reporter_;
  std::string page_;
  std::string_view buffer_;       // unread part of page_
  uint64_t page_end_offset_ = 0;  // file offset just past page_
  bool eof_ = false;
  uint64_t last_record_end_ = 0;
};

}  // namespace sluice::chunks::wal
