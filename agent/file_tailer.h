// FileTailer: reads one file from an open descriptor, splits it into lines, decodes the
// container format (joining partial lines), joins multiline blocks, runs the job's pipeline,
// and hands entries to an EntrySink with an acknowledgement token for the bytes they came
// from. Reading from the descriptor means a file renamed or deleted after it was opened is
// still read to its end.
//
// Truncation (size below the read offset) and replacement in place (the fingerprint of the
// first bytes changed, e.g. copytruncate followed by new writes) stop reading (replaced()) until
// the owner decides: Restart() reads the new content from offset 0; SplitOffCopy() first hands
// the old content's reading state to a tailer on its copy, so its unread tail is not lost.
// Thread-safety: one thread (the tail manager's) at a time; the FileProgress it shares with the
// shippers locks internally.
#pragma once

#include <algorithm>
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
  bool started_ = false;
  int64_t window_start_ = 0;
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

  // Reads and processes up to `budget` bytes, stopping after the line that fills the sink.
  // Returns the bytes read (0 at end of file, or when the content was found replaced: see
  // replaced()).
  Result<size_t> ReadSome(size_t budget);
  // Looks for truncation / replacement in place without reading (fstat, and the fingerprint
  // when size or mtime changed since the last look).
  Result<bool> CheckReplaced();

  // The content being read was truncated or replaced in place; nothing is read until the
  // owner calls Restart() or SplitOffCopy().
  bool replaced() const { return replaced_; }

  // Reads the new content from offset 0. Entries of the old content still unacknowledged are
  // reported through TakeAbandoned().
  void Restart();
  // The old content lives on in a copy (copytruncate): returns a detached tailer reading
  // `copy_fd` exactly where this one stopped (offset, partial lines, unacknowledged entries,
  // labels), and restarts this one at offset 0. Takes ownership of `copy_fd`.
  std::unique_ptr<FileTailer> SplitOffCopy(std::string copy_path, int copy_fd, FileKey copy_key);
  // Emits a multiline block whose wait has expired.
  void FlushDue(int64_t now_mono_ns);
  // Emits everything buffered (partial lines, open multiline block): before letting go.
  void FlushAll();
  std::optional<int64_t> NextDeadline() const;

  const std::string& path() const { return path_; }

  void set_path(std::string path) {
    path_ = path;
    origin_path_ = std::move(path);
  }

  // The path the file was found under (its labels', recorded in positions): stays when the
  // file is read under another name (rotated while the agent was down, a copytruncate copy).
  const std::string& origin_path() const { return origin_path_; }

  void set_origin_path(std::string path) { origin_path_ = std::move(path); }

  const Fingerprint& fingerprint() const { return fp_; }

  // True if the file's first bytes are those `fp` was taken from.
  bool StartsWith(const Fingerprint& fp) const { return FingerprintMatches(fd_, fp); }

  const FileKey& key() const { return key_; }

  uint64_t read_offset() const { return read_offset_; }

  uint64_t last_size() const { return last_size_; }

  // The file's size now (not only as of the last read).
  uint64_t CurrentSize() const {
    Result<FileStat> st = StatFd(fd_);
    return st.ok() ? std::max(st->size, last_size_) : last_size_;
  }

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
  bool Replaced(const FileStat& st);
  // Returns the bytes consumed: fewer than `n` (ending with a line) when the sink filled up.
  size_t ProcessBytes(const char* data, size_t n);
  void OnPhysicalLine(std::string_view line, uint64_t start, uint64_t end);
  void AfterDecode(std::vector<DecodedLine>* lines);
  void Emit(DecodedLine line);
  void UpdateConsumed();

  std::string path_;
  std::string origin_path_;
  int fd_;
  FileKey key_;
  Fingerprint fp_;
  uint64_t read_offset_;
  uint64_t last_size_ = 0;
  int64_t last_mtime_ns_ = 0;
  uint64_t seen_size_ = 0;     // the largest size seen (truncation below it is noticed)
  uint64_t checked_size_ = 0;  // CheckReplaced's last look
  int64_t checked_mtime_ns_ = 0;
  bool replaced_ = false;
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
