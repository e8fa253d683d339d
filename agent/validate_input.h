// Input side of `sluice-agent validate`: reads a file of JSON lines ("-" is stdin; gzip input
// is recognised by its magic bytes, so ".gz" files and gzipped stdin both work) in batches of
// whole lines, read with large read(2)s straight into the batch's buffer (not zero-filled
// first). At least simdjson::SIMDJSON_PADDING readable bytes follow every line, so lines are
// parsed in place, without a copy. A trailing "\r" is dropped from each line; a missing final
// newline is fine. (Mapping the file instead measured no faster and would die of SIGBUS if the
// file shrank meanwhile.) Not thread-safe; a batch stays valid until it is passed to Next again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::agent {

struct LineBatch {
  struct Line {
    uint64_t number;  // 1-based line number in the file
    size_t offset;    // into base
    size_t length;    // without "\n" / "\r\n"
  };

  const char* base = nullptr;  // the bytes `lines` index (into `storage`)
  std::vector<Line> lines;
  std::unique_ptr<char[]> storage;  // capacity includes the padding
  size_t storage_capacity = 0;

  std::string_view text(const Line& l) const { return std::string_view(base + l.offset, l.length); }
};

class LineSource {
 public:
  // Opens `path` ("-" for stdin). IOError if it cannot be opened.
  static Result<std::unique_ptr<LineSource>> Open(const std::string& path);
  virtual ~LineSource() = default;

  // Fills `batch` with the next lines (about `target_bytes` of them, always whole lines; a
  // line longer than that forms its own batch). Returns false at end of input; an IOError
  // (e.g. a corrupt gzip stream) if reading fails.
  virtual Result<bool> Next(LineBatch* batch, size_t target_bytes) = 0;

  // Bytes consumed so far and the input's size if known (0 otherwise), for progress.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t size_hint() const = 0;
};

}  // namespace sluice::agent
