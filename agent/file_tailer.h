// FileTailer: reads one file from an open descriptor, splits it into lines, decodes the
// container format (joining partial lines), joins multiline blocks, runs the job's pipeline,
// and hands entries to an EntrySink with an acknowledgement token for the bytes they came
// from. Reading from the descriptor means a file renamed or deleted after it was opened is
// still read to its end.
//
// Truncation (size below the read offset) and replacement in place (the fingerprint of the
// first bytes changed, e.g. copytruncate followed by new writes) restart reading at offset 0.
// Thread-safety: one thread (the tail manager's) at a time; the FileProgress it shares with the
// shippers locks internally.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_metrics.h"
#include "agent/entry_sink.h"
#include "agent/file_identity.h"
#include "agent/file_progress.h"
#include "agent/line_decoder.h"
#include "agent/multiline.h"
#include "agent/pipeline_builder.h"
#include "agent/positions.h"

namespace sluice {
class Clock;
}

namespace sluice::agent {

// Logs invalid lines at most `per_second` times a second, counting the rest.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(int per_second = 10) : per_second_(per_second) {}

  bool Allow(int64_t now_mono_ns);

  uint64_t suppressed() const { return suppressed_; }

 private:
  int per_second_;
  int64_t window_start_ = INT64_MIN;
  int count_ = 0;
  uint64_t suppressed_ = 0;
};

// What the files of one job share. Lives as long as the tail manager.
struct JobContext {
  std::string job;
  CompiledPipeline* pipeline = nullptr;  // required; used by the tailing thread only
  int64_t max_line_size = 0;             // limits_config
  bool max_line_size_truncate = false;
  AgentMetrics* metrics = nullptr;        // required
  EntrySink* sink = nullptr;              // required
  const Clock* clock = nullptr;           // required
  RateLimitedLog* invalid_log = nullptr;  // required
};

class FileTailer {
 public:
  // Takes ownership of `fd`. Starts reading at `offset`.
  FileTailer(std::string path, int fd, FileKey key, Fingerprint fp, uint64_t offset,
             LabelMap labels, JobContext* job);
  ~FileTailer();
  FileTailer(const FileTailer&) = delete;
  FileTailer& operator=(const FileTailer&) = delete;

  // Reads and processes up to `budget` bytes. Returns the bytes read (0 at end of file).
  Result<size_t> ReadSome(size_t budget);
  // Emits a multiline block whose wait has expired.
  void FlushDue(int64_t now_mono_ns);
  // Emits everything buffered (partial lines, open multiline block): before letting go.
  void FlushAll();
  std::optional<int64_t> NextDeadline() const;

  const std::string& path() const { return path_; }

  void set_path(std::string path) { path_ = std::move(path); }

  const FileKey& key() const { return key_; }

  uint64_t read_offset() const { return read_offset_; }

  uint64_t last_size() const { return last_size_; }

  const std::shared_ptr<FileProgress>& progress() const { return progress_; }

  PositionEntry Position() const;

  const LabelMap& labels() const { return labels_; }

  const std::string& job() const { return job_->job; }

  // Content abandoned by truncation / replacement in place since the last call: its progress
  // (entries may still be unacknowledged) and its position (old fingerprint, acked offset).
  struct Abandoned {
    std::shared_ptr<FileProgress> progress;
    PositionEntry position;
  };

  std::vector<Abandoned> TakeAbandoned() { return std::move(abandoned_); }

  // Set by the manager when the path no longer leads to this file (rotated or deleted).
  bool detached = false;
  int64_t last_growth_mono_ns = 0;
  uint64_t truncations = 0;

 private:
  void Restart();
  void ProcessBytes(const char* data, size_t n);
  void OnPhysicalLine(std::string_view line, uint64_t start, uint64_t end);
  void AfterDecode(std::vector<DecodedLine>* lines);
  void Emit(DecodedLine line);
  void UpdateConsumed();

  std::string path_;
  int fd_;
  FileKey key_;
  Fingerprint fp_;
  uint64_t read_offset_;
  uint64_t last_size_ = 0;
  LabelMap labels_;
  JobContext* job_;
  std::shared_ptr<FileProgress> progress_;
  LineDecoder decoder_;
  std::optional<MultilineJoiner> multiline_;
  std::string carry_;  // bytes of an unfinished physical line
  uint64_t carry_start_ = 0;
  std::vector<char> buf_;
  std::vector<DecodedLine> scratch_;
  std::vector<Abandoned> abandoned_;
};

}  // namespace sluice::agent
