#include "agent/file_tailer.h"

#include <unistd.h>

#include <cerrno>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/labels.h"

namespace sluice::agent {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// A physical line longer than this (no newline yet) is cut, so one runaway writer cannot
// exhaust memory; the pieces are shipped as separate lines.
constexpr size_t kMaxPhysicalLine = 4 * 1024 * 1024;

DecoderLimits LimitsFor(const CompiledPipeline& p) {
  DecoderLimits l;
  l.max_partial_lines = p.cri_max_partial_lines;
  return l;
}

}  // namespace

bool RateLimitedLog::Allow(int64_t now) {
  // No sentinel arithmetic: `now - INT64_MIN` overflows (UBSan aborted the agent on its first
  // invalid line).
  if (!started_ || now < window_start_ || now - window_start_ >= 1'000'000'000) {
    started_ = true;
    window_start_ = now;
    count_ = 0;
  }
  if (count_ < per_second_) {
    ++count_;
    return true;
  }
  ++suppressed_;
  return false;
}

FileTailer::FileTailer(std::string path, int fd, FileKey key, Fingerprint fp, uint64_t offset,
                       LabelMap labels, JobContext* job)
    : path_(std::move(path)),
      origin_path_(path_),
      fd_(fd),
      key_(key),
      fp_(fp),
      read_offset_(offset),
      labels_(std::move(labels)),
      job_(job),
      progress_(std::make_shared<FileProgress>(offset)),
      decoder_(job->pipeline->format, LimitsFor(*job->pipeline)),
      buf_(kReadChunk) {
  if (job->pipeline->multiline)
    multiline_.emplace(*job->pipeline->multiline);
  last_growth_mono_ns = job->clock->MonotonicNanos();
}

FileTailer::~FileTailer() {
  if (fd_ >= 0)
    ::close(fd_);
}

PositionEntry FileTailer::Position() const {
  return PositionEntry{origin_path_, key_, fp_, progress_->Acked()};
}

void FileTailer::Restart() {
  ++truncations;
  spdlog::info("{}: truncated or replaced in place; reading again from the start", path_);
  if (progress_->HasPending())
    abandoned_.push_back(Abandoned{progress_, Position()});
  read_offset_ = 0;
  last_size_ = 0;
  seen_size_ = 0;
  replaced_ = false;
  checked_size_ = 0;
  checked_mtime_ns_ = 0;
  carry_.clear();
  decoder_ = LineDecoder(job_->pipeline->format, LimitsFor(*job_->pipeline));
  multiline_.reset();
  if (job_->pipeline->multiline)
    multiline_.emplace(*job_->pipeline->multiline);
  progress_ = std::make_shared<FileProgress>(0);
  Result<Fingerprint> fp = ComputeFingerprint(fd_);
  fp_ = fp.ok() ? *fp : Fingerprint{};
}

std::unique_ptr<FileTailer> FileTailer::SplitOffCopy(std::string copy_path, int copy_fd,
                                                     FileKey copy_key) {
  spdlog::info("{}: copied to {} before it was truncated; reading the rest there from offset {}",
               path_, copy_path, read_offset_);
  auto copy = std::make_unique<FileTailer>(std::move(copy_path), copy_fd, copy_key, fp_,
                                           read_offset_, labels_, job_);
  copy->origin_path_ = origin_path_;
  copy->detached = true;
  // The same content: its unacknowledged entries, and the lines it has begun.
  copy->progress_ = std::move(progress_);
  copy->decoder_ = std::move(decoder_);
  copy->multiline_ = std::move(multiline_);
  copy->carry_ = std::move(carry_);
  copy->carry_start_ = carry_start_;
  progress_ = std::make_shared<FileProgress>(0);  // nothing left here to abandon
  Restart();
  return copy;
}

bool FileTailer::Replaced(const FileStat& st) {
  if (replaced_)
    return true;
  // A log only grows: smaller than anything seen before means truncated, even when nothing
  // was read yet (the agent may be behind).
  if (st.size < std::max(read_offset_, seen_size_) || !FingerprintMatches(fd_, fp_)) {
    replaced_ = true;
    return true;
  }
  seen_size_ = std::max(seen_size_, st.size);
  // The fingerprint grows with the file, read or not: it is what finds the content again in
  // a copy (now, or from the positions file after a crash); an empty one matches anything.
  if (fp_.len < kFingerprintBytes && st.size > fp_.len) {
    Result<Fingerprint> fp = ComputeFingerprint(fd_);
    if (fp.ok())
      fp_ = *fp;
  }
  return false;
}

Result<bool> FileTailer::CheckReplaced() {
  if (replaced_)
    return true;
  SLUICE_ASSIGN_OR_RETURN(FileStat st, StatFd(fd_));
  if (st.size == checked_size_ && st.mtime_ns == checked_mtime_ns_)
    return false;
  checked_size_ = st.size;
  checked_mtime_ns_ = st.mtime_ns;
  return Replaced(st);
}

Result<size_t> FileTailer::ReadSome(size_t budget) {
  if (replaced_)
    return size_t{0};
  SLUICE_ASSIGN_OR_RETURN(FileStat st, StatFd(fd_));
  if (st.size == last_size_ && st.size == read_offset_ && st.mtime_ns == last_mtime_ns_)
    return size_t{0};
  if (Replaced(st))
    return size_t{0};
  if (st.size != last_size_)
    last_growth_mono_ns = job_->clock->MonotonicNanos();
  last_size_ = st.size;
  last_mtime_ns_ = st.mtime_ns;
  size_t total = 0;
  while (total < budget && read_offset_ < st.size && job_->sink->HasRoom()) {
    size_t want = std::min<uint64_t>({buf_.size(), budget - total, st.size - read_offset_});
    ssize_t n = ::pread(fd_, buf_.data(), want, static_cast<off_t>(read_offset_));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return ErrnoError("pread", path_, errno);
    }
    if (n == 0)
      break;
    const size_t used = ProcessBytes(buf_.data(), static_cast<size_t>(n));
    total += used;
    if (used < static_cast<size_t>(n))
      break;  // the sink is full
  }
  if (total > 0)
    job_->metrics->read_bytes->Inc({job_->job}, static_cast<double>(total));
  UpdateConsumed();
  return total;
}

size_t FileTailer::ProcessBytes(const char* data, size_t n) {
  const uint64_t base = read_offset_;
  size_t pos = 0;
  while (pos < n) {
    const char* nl = static_cast<const char*>(memchr(data + pos, '\n', n - pos));
    if (nl == nullptr) {
      if (carry_.empty())
        carry_start_ = base + pos;
      carry_.append(data + pos, n - pos);
      if (carry_.size() >= kMaxPhysicalLine) {
        std::string piece = std::move(carry_);
        carry_.clear();
        uint64_t end = base + n;
        OnPhysicalLine(piece, carry_start_, end);
      }
      break;
    }
    size_t len = static_cast<size_t>(nl - (data + pos));
    uint64_t end = base + pos + len + 1;
    if (!carry_.empty()) {
      carry_.append(data + pos, len);
      std::string line = std::move(carry_);
      carry_.clear();
      OnPhysicalLine(line, carry_start_, end);
    } else {
      OnPhysicalLine(std::string_view(data + pos, len), base + pos, end);
    }
    pos += len + 1;
    if (pos < n && !job_->sink->HasRoom()) {
      // Checked per line, not per read: what is held unacknowledged exceeds the sink's limit
      // by one line's entries at most. The rest of `data` is read again later.
      read_offset_ = base + pos;
      return pos;
    }
  }
  read_offset_ = base + n;
  return n;
}

void FileTailer::OnPhysicalLine(std::string_view line, uint64_t start, uint64_t end) {
  scratch_.clear();
  uint64_t malformed = decoder_.malformed();
  decoder_.Feed(line, start, end, &scratch_);
  if (decoder_.malformed() != malformed) {
    job_->metrics->malformed->Inc({std::string(LineFormatName(decoder_.format()))});
  }
  AfterDecode(&scratch_);
}

void FileTailer::AfterDecode(std::vector<DecodedLine>* lines) {
  if (!multiline_) {
    for (DecodedLine& l : *lines)
      Emit(std::move(l));
    return;
  }
  std::vector<DecodedLine> blocks;
  int64_t now = job_->clock->MonotonicNanos();
  for (DecodedLine& l : *lines)
    multiline_->Feed(std::move(l), now, &blocks);
  for (DecodedLine& b : blocks)
    Emit(std::move(b));
}

void FileTailer::FlushDue(int64_t now_mono_ns) {
  if (!multiline_)
    return;
  std::vector<DecodedLine> blocks;
  multiline_->FlushIfDue(now_mono_ns, &blocks);
  for (DecodedLine& b : blocks)
    Emit(std::move(b));
  UpdateConsumed();
}

void FileTailer::FlushAll() {
  if (!carry_.empty()) {
    std::string line = std::move(carry_);
    carry_.clear();
    OnPhysicalLine(line, carry_start_, read_offset_);
  }
  scratch_.clear();
  decoder_.Flush(&scratch_);
  AfterDecode(&scratch_);
  if (multiline_) {
    std::vector<DecodedLine> blocks;
    multiline_->Flush(&blocks);
    for (DecodedLine& b : blocks)
      Emit(std::move(b));
  }
  UpdateConsumed();
}

std::optional<int64_t> FileTailer::NextDeadline() const {
  return multiline_ ? multiline_->Deadline() : std::nullopt;
}

void FileTailer::UpdateConsumed() {
  uint64_t consumed = read_offset_;
  if (!carry_.empty())
    consumed = std::min(consumed, carry_start_);
  if (auto p = decoder_.PendingStart())
    consumed = std::min(consumed, *p);
  if (multiline_) {
    if (auto p = multiline_->PendingStart())
      consumed = std::min(consumed, *p);
  }
  progress_->SetConsumed(consumed);
}

void FileTailer::Emit(DecodedLine dl) {
  AgentMetrics& m = *job_->metrics;
  m.read_lines->Inc({job_->job});
  PipelineEntry e;
  e.labels = labels_;
  e.ts_ns = dl.ts_ns != 0 ? dl.ts_ns : job_->clock->NowNanos();
  e.line = std::move(dl.text);
  if (!dl.stream.empty())
    e.labels["stream"] = dl.stream;
  job_->pipeline->pipeline->Process(&e);
  if (e.schema_verdict > 0) {
    m.schema_valid->Inc({job_->job});
  } else if (e.schema_verdict < 0) {
    m.schema_invalid->Inc({job_->job, e.schema_keyword});
    if (job_->invalid_log->Allow(job_->clock->MonotonicNanos())) {
      spdlog::warn("{}: invalid line at offset {} ({}): {}: {}", path_, dl.start_offset,
                   e.dropped ? "dropped" : "quarantined", e.schema_keyword, e.schema_message);
    }
  }
  if (!e.dropped && job_->max_line_size > 0 &&
      static_cast<int64_t>(e.line.size()) > job_->max_line_size) {
    if (job_->max_line_size_truncate) {
      e.line.resize(static_cast<size_t>(job_->max_line_size));
    } else {
      e.dropped = true;
      e.drop_reason = "line_too_long";
    }
  }
  if (e.dropped) {
    m.dropped->Inc({e.drop_reason});
    return;
  }
  ShipEntry out;
  std::vector<Label> pairs;
  for (auto& [name, value] : e.labels) {
    if (name == "__tenant_id__") {
      if (e.tenant.empty())
        e.tenant = value;
      continue;
    }
    if (name.rfind("__", 0) == 0 || !IsValidLabelName(name))
      continue;
    pairs.push_back(Label{name, value});
  }
  out.labels = Labels(std::move(pairs));
  out.ts_ns = e.ts_ns;
  out.line = std::move(e.line);
  out.metadata = std::move(e.metadata);
  out.tenant = std::move(e.tenant);
  progress_->Add(dl.start_offset, job_->sink->clients());
  out.ack = AckToken{progress_, dl.start_offset};
  job_->sink->Push(std::move(out));
}

}  // namespace sluice::agent
