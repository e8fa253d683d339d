// Input side of `sluice-agent validate`: reads a file of JSON lines ("-" is stdin; gzip input
// is recognised by its magic bytes, so ".gz" files and gzipped stdin both work) in batches of
// whole lines. Each batch buffer keeps simdjson::SIMDJSON_PADDING spare bytes after its last
// line, so lines can be parsed in place. A trailing "\r" is dropped from each line; a missing
// final newline is fine. Not thread-safe; batches are independent values.
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
    size_t offset;    // into data
    size_t length;    // without "\n" / "\r\n"
  };

  std::string data;  // REQUIRES: capacity() >= size() + simdjson padding
  std::vector<Line> lines;

  std::string_view text(const Line& l) const {
    return std::string_view(data).substr(l.offset, l.length);
  }
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
