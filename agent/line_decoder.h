// Container log formats, decoded per file: raw lines, Docker json-file
// ({"log":"...","stream":"stdout","time":"..."}; a `log` without a trailing newline is a partial
// line, joined with what follows on the same stream) and CRI (`<RFC3339 time> <stream> <P|F>
// <msg>`; P parts joined until the F part). kAuto picks the format from the first line.
//
//   LineDecoder decoder(LineFormat::kAuto, DecoderLimits{});
//   std::vector<DecodedLine> out;
//   decoder.Feed(physical_line, start_offset, end_offset, &out);  // 0..n complete lines
//   decoder.PendingStart();  // offset of the oldest byte still buffered (partial lines)
//
// Malformed container lines are passed through as raw text (never lost) and counted.
// Thread-safety: one decoder per file, one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/result.h"

namespace sluice::agent {

enum class LineFormat { kAuto, kRaw, kDocker, kCri };

std::string_view LineFormatName(LineFormat f);

struct DecodedLine {
  std::string text;
  int64_t ts_ns = 0;          // 0: the format carries no time
  std::string stream;         // "stdout" / "stderr" for container formats
  uint64_t start_offset = 0;  // first byte of the first physical line in the file
  uint64_t end_offset = 0;    // one past the newline of the last physical line
};

struct DecoderLimits {
  // A joined partial line is emitted once it holds this many bytes (Docker splits at 16 KiB;
  // this bounds memory against a writer that never ends its line). Default 1 MiB.
  size_t max_joined_bytes = 1 << 20;
  // CRI's max_partial_lines: emit after this many P parts. Default 100 (Promtail's).
  int max_partial_lines = 100;
};

// One Docker json-file record, `log` unescaped (trailing newline kept).
struct DockerRecord {
  std::string log;
  std::string stream;
  int64_t ts_ns = 0;
};

// InvalidArgument unless `line` is a JSON object with a string `log`.
Result<DockerRecord> ParseDockerLine(std::string_view line, simdjson::dom::parser* parser);

struct CriRecord {
  std::string_view stream;
  bool partial = false;
  std::string_view message;
  int64_t ts_ns = 0;
};

// InvalidArgument unless `line` is `<RFC3339 time> <stdout|stderr> <P|F> <msg>` (the tag may
// carry more flags after P/F, separated by ':'); views point into `line`.
Result<CriRecord> ParseCriLine(std::string_view line);

class LineDecoder {
 public:
  LineDecoder(LineFormat format, DecoderLimits limits);

  // Feeds one physical line (without its '\n') occupying [start, end) of the file.
  void Feed(std::string_view line, uint64_t start, uint64_t end, std::vector<DecodedLine>* out);
  // Emits every buffered partial line as it is (file gone or shutdown).
  void Flush(std::vector<DecodedLine>* out);
  // Offset of the first byte of the oldest buffered partial line; nullopt when none.
  std::optional<uint64_t> PendingStart() const;

  LineFormat format() const { return format_; }

  uint64_t malformed() const { return malformed_; }

 private:
  struct Partial {
    std::string text;
    int64_t ts_ns = 0;
    uint64_t start = 0;
    int parts = 0;
  };

  void FeedDocker(std::string_view line, uint64_t start, uint64_t end,
                  std::vector<DecodedLine>* out);
  void FeedCri(std::string_view line, uint64_t start, uint64_t end, std::vector<DecodedLine>* out);
  // Appends a part to the stream's partial; emits when complete or over a limit.
  void AddPart(const std::string& stream, std::string_view text, bool complete, int64_t ts,
               uint64_t start, uint64_t end, std::vector<DecodedLine>* out);

  LineFormat format_;
  DecoderLimits limits_;
  std::map<std::string, Partial> partials_;  // by stream
  simdjson::dom::parser parser_;
  uint64_t malformed_ = 0;
};

}  // namespace sluice::agent
