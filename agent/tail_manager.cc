#include "agent/tail_manager.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

#include <spdlog/spdlog.h>

#include "agent/glob.h"
#include "agent/kube_labels.h"
#include "common/clock.h"

namespace sluice::agent {
namespace {

constexpr size_t kReadBudget = 256 * 1024;            // per file per turn: fairness between files
constexpr int64_t kBlockedCheckPeriod = 200'000'000;  // see RunOnce

struct Found {
  std::string path;  // "" when none
  int64_t mtime_ns = 0;
};

// Keeps in *best the newest regular file in `dir` that `accept`s, is at least `min_size` bytes
// long and starts with `fp`.
void FindInDir(const std::string& dir, const Fingerprint& fp, uint64_t min_size,
               const std::function<bool(const FileStat&)>& accept, Found* best) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr)
    return;
  while (struct dirent* ent = readdir(d)) {
    std::string candidate = JoinPath(dir, ent->d_name);
    Result<FileStat> st = StatPath(candidate);
    if (!st.ok() || !st->regular || st->size < min_size || st->size < fp.len || !accept(*st))
      continue;
    if (!best->path.empty() && st->mtime_ns <= best->mtime_ns)
      continue;
    int fd = ::open(candidate.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      continue;
    bool same = FingerprintMatches(fd, fp);
    ::close(fd);
    if (same)
      *best = Found{candidate, st->mtime_ns};
  }
  closedir(d);
}

}  // namespace

TailManager::TailManager(TailManagerOptions options) : options_(std::move(options)) {}

TailManager::~TailManager() {
  if (inotify_fd_ >= 0)
    ::close(inotify_fd_);
}

Status TailManager::Init() {
  if (options_.use_inotify) {
    inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) {
      spdlog::warn("inotify unavailable ({}); polling files", std::strerror(errno));
    }
  }
  if (inotify_fd_ < 0)
    options_.poll_period_ns = std::min<int64_t>(options_.poll_period_ns, 250'000'000);
  if (options_.acks != nullptr && !writer_) {
    DurableAcks* acks = options_.acks;
    writer_ = std::make_unique<PositionsWriter>(options_.positions,
                                                [acks](uint64_t seq) { acks->MarkDurable(seq); });
  }
  Rescan();
  RecoverRotatedWhileDown();
  const int64_t now = options_.clock->MonotonicNanos();
  next_rescan_ = now + options_.rescan_period_ns;
  next_poll_ = now + options_.poll_period_ns;
  next_sync_ = now + options_.positions_sync_ns;
  return Status::Ok();
}

std::optional<LabelMap> TailManager::TargetLabels(const TargetSpec& target,
                                                  const std::string& path) {
  LabelMap labels = target.labels;
  AddKubernetesLabels(path, &labels);
  labels["__path__"] = path;
  if (target.relabel != nullptr && !target.relabel->empty()) {
    std::optional<LabelMap> out = Relabel(labels, *target.relabel);
    if (!out)
      return std::nullopt;
    labels = std::move(*out);
  }
  labels["filename"] = path;
  return labels;
}

void TailManager::AddFile(const std::string& path, const TargetSpec& target,
                          const std::string& label_path, std::optional<uint64_t> forced_offset,
                          bool detached) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  Result<FileStat> st = StatFd(fd);
  if (!st.ok() || !st->regular || files_.contains(st->key) || ignored_.contains(st->key)) {
    ::close(fd);
    return;
  }
  std::optional<LabelMap> labels = TargetLabels(target, label_path);
  if (!labels) {
    ignored_.insert(st->key);
    ::close(fd);
    return;
  }
  Result<Fingerprint> fp = ComputeFingerprint(fd);
  uint64_t offset = 0;
  if (forced_offset) {
    offset = *forced_offset;
  } else if (auto pos = options_.positions->FindByKey(st->key)) {
    if (FingerprintMatches(fd, pos->fingerprint) && pos->offset <= st->size)
      offset = pos->offset;
  } else if (auto legacy = options_.positions->FindByPath(path)) {
    if (legacy->offset <= st->size)
      offset = legacy->offset;
  }
  auto tailer = std::make_unique<FileTailer>(path, fd, st->key, fp.ok() ? *fp : Fingerprint{},
                                             offset, std::move(*labels), target.context);
  tailer->detached = detached;
  tailer->set_origin_path(label_path);
  spdlog::info("tailing {} (job {}) from offset {}", path, target.job, offset);
  dirty_.insert(st->key);
  pending_.erase(st->key);  // e.g. found by RecoverRotatedWhileDown while pending
  if (!detached)
    by_path_[path] = st->key;
  files_[st->key] = std::move(tailer);
}

void TailManager::Rescan() {
  rescan_requested_ = false;
  const int64_t now = options_.clock->MonotonicNanos();
  std::set<FileKey> seen;
  std::map<std::string, FileKey> paths;
  target_dirs_.assign(options_.targets.size(), {});
  for (size_t i = 0; i < options_.targets.size(); ++i) {
    const TargetSpec& target = options_.targets[i];
    GlobResult found = ExpandGlob(target.include);
    for (const std::string& dir : found.directories) {
      if (inotify_fd_ < 0 || watched_dirs_.contains(dir))
        continue;
      int wd = inotify_add_watch(inotify_fd_, dir.c_str(),
                                 IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_MODIFY |
                                     IN_DELETE_SELF | IN_MOVE_SELF);
      if (wd >= 0) {
        watches_[wd] = dir;
        watched_dirs_.insert(dir);
      }
    }
    target_dirs_[i] = std::move(found.directories);
    for (const std::string& path : found.files) {
      if (paths.contains(path))
        continue;  // an earlier target has it
      if (!target.exclude.empty() && GlobMatch(target.exclude, path))
        continue;
      if (path == options_.positions_path || path == options_.positions_path + ".tmp")
        continue;
      Result<FileStat> st = StatPath(path);
      if (!st.ok() || !st->regular)
        continue;
      paths[path] = st->key;
      seen.insert(st->key);
      auto it = files_.find(st->key);
      if (it != files_.end()) {
        if (it->second->path() != path) {
          spdlog::info("{} was renamed to {}", it->second->path(), path);
          it->second->set_path(path);
        }
        it->second->detached = false;
        continue;
      }
      if (ignored_.contains(st->key))
        continue;
      if (auto p = pending_.find(st->key); p != pending_.end()) {
        p->second.path = path;
        p->second.target = &target;
        continue;
      }
      if (options_.positions->FindByKey(st->key) || options_.positions->FindByPath(path)) {
        AddFile(path, target, path, std::nullopt, false);
        continue;
      }
      // No position of its own: it may be a copy. Decided once every file with one is tailed.
      pending_[st->key] = Pending{path, &target, st->size, now, std::nullopt, 0};
    }
  }
  for (auto it = pending_.begin(); it != pending_.end();)
    it = seen.contains(it->first) ? std::next(it) : pending_.erase(it);
  for (auto& [key, tailer] : files_) {
    if (!seen.contains(key) && !tailer->detached) {
      spdlog::info("{} rotated or deleted; reading its remaining bytes", tailer->path());
      tailer->detached = true;
      dirty_.insert(key);
    }
  }
  by_path_ = std::move(paths);
  ExaminePending();
}

void TailManager::ExaminePending() {
  const int64_t now = options_.clock->MonotonicNanos();
  std::vector<FileKey> keys;
  for (const auto& [key, p] : pending_)
    keys.push_back(key);
  for (const FileKey& key : keys) {
    auto it = pending_.find(key);
    if (it == pending_.end())
      continue;  // handed the old content of a file examined before it
    Pending p = it->second;
    if (ExamineOne(key, &p, now)) {
      pending_.erase(key);
    } else {
      pending_[key] = std::move(p);
    }
  }
  options_.metrics->files_active->Set(static_cast<double>(files_.size()));
}

bool TailManager::ExamineOne(const FileKey& key, Pending* p, int64_t now) {
  int fd = ::open(p->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return true;  // gone: the next rescan looks at whatever is there then
  Result<FileStat> st = StatFd(fd);
  Result<Fingerprint> fp =
      st.ok() && st->key == key ? ComputeFingerprint(fd) : Result<Fingerprint>(IOError("moved"));
  ::close(fd);
  if (!fp.ok())
    return true;
  if (st->size != p->size) {
    p->size = st->size;
    p->changed_mono_ns = now;
  }
  const bool growing = now - p->changed_mono_ns < options_.detach_grace_ns;
  auto start = [&](const std::string& label_path, std::optional<uint64_t> offset, bool detached) {
    AddFile(p->path, *p->target, label_path, offset, detached);
    return true;
  };
  if (fp->len == kFingerprintBytes) {
    // The content of a tailed file (the one its path leads to, if several)?
    FileTailer* original = nullptr;
    for (const auto& [k, t] : files_) {
      if (t->fingerprint() == *fp && (original == nullptr || original->detached))
        original = t.get();
    }
    if (original != nullptr) {
      const FileKey okey = original->key();
      Result<bool> replaced = original->CheckReplaced();
      if (replaced.ok() && *replaced) {
        // Truncated already: its old content moves to its copy, this file if it is the one.
        HandleReplaced(okey);
        if (files_.contains(key))
          return true;
      } else if (st->size >= original->read_offset()) {
        // The copy, made before the truncation (or by logrotate's `copy`): held while the
        // original reads on; HandleReplaced takes it when the truncation is noticed.
        if (!p->copy_of)
          spdlog::info("{} is a copy of {}; held until that is truncated or read past it", p->path,
                       original->path());
        p->copy_of = okey;
        p->copy_read = original->read_offset();
        return false;
      } else if (p->copy_of == okey) {
        // Not truncated, and read past the copy's end: all of it was shipped from there.
        spdlog::info("{}: its content was read from {}; tailing it from its end", p->path,
                     original->path());
        return start(p->path, st->size, false);
      } else if (growing) {
        return false;  // a copy in progress?
      } else {
        return start(p->path, std::nullopt, false);
      }
    }
    if (p->copy_of) {
      // Its original was let go (read to its end), or its old content went to another copy.
      return start(p->path, std::min(st->size, p->copy_read), false);
    }
    // After a restart: the content of a recorded position (truncated since) or orphan.
    std::vector<PositionEntry> recorded = options_.positions->All();
    for (PositionEntry& e : options_.positions->Orphans())
      recorded.push_back(std::move(e));
    for (const PositionEntry& e : recorded) {
      if (e.fingerprint == *fp && e.offset <= st->size && (e.orphan || e.key != key)) {
        spdlog::info("{} is a copy of {}'s content; reading it from offset {}", p->path, e.path,
                     e.offset);
        return start(e.path, e.offset, /*detached=*/true);
      }
    }
  } else if (growing) {
    // Shorter than a fingerprint: a copy in progress if a tailed file begins with its bytes.
    for (const auto& [k, t] : files_) {
      if (t->fingerprint().len == kFingerprintBytes && t->StartsWith(*fp))
        return false;
    }
  }
  return start(p->path, std::nullopt, false);
}

bool TailManager::MatchesTarget(const std::string& path) const {
  if (path == options_.positions_path || path == options_.positions_path + ".tmp")
    return false;
  for (const TargetSpec& t : options_.targets) {
    if (GlobMatch(t.include, path) && (t.exclude.empty() || !GlobMatch(t.exclude, path)))
      return true;
  }
  return false;
}

void TailManager::RecoverRotatedWhileDown() {
  std::vector<PositionEntry> entries = options_.positions->All();
  for (PositionEntry& e : options_.positions->Orphans())
    entries.push_back(std::move(e));
  for (const PositionEntry& pos : entries) {
    // Content recorded but not under its path any more: a file renamed while the agent was
    // down (found by inode), content truncated away (an orphan, found in its copy by
    // fingerprint), or the old content of a file now tailed from another offset than recorded
    // (truncated or replaced in place while, or just before, the agent was down).
    bool by_fingerprint = pos.orphan;
    if (!pos.orphan) {
      if (!pos.has_identity())
        continue;
      auto it = files_.find(pos.key);
      if (it != files_.end()) {
        if (it->second->read_offset() == pos.offset && it->second->StartsWith(pos.fingerprint))
          continue;  // resumed where it was
        by_fingerprint = true;
      }
    }
    const TargetSpec* target = nullptr;
    for (const TargetSpec& t : options_.targets) {
      if (GlobMatch(t.include, pos.path)) {
        target = &t;
        break;
      }
    }
    if (target == nullptr)
      continue;
    std::string found;
    if (by_fingerprint) {
      // Something beyond the acknowledged offset is needed, else there is nothing to recover.
      found = FindCopy(pos.path, pos.fingerprint, pos.offset + 1, pos.key);
    } else {
      found = FindNear(pos.path, pos.fingerprint, 0, [&](const FileStat& st) {
        return st.key == pos.key && !files_.contains(st.key);
      });
    }
    if (found.empty())
      continue;
    spdlog::info("{} was rotated to {} while the agent was down; draining it from offset {}",
                 pos.path, found, pos.offset);
    AddFile(found, *target, pos.path, pos.offset, /*detached=*/true);
  }
}

std::string TailManager::FindNear(const std::string& origin, const Fingerprint& fp,
                                  uint64_t min_size,
                                  const std::function<bool(const FileStat&)>& accept) {
  Found best;
  const std::string dir = DirName(origin);
  FindInDir(dir, fp, min_size, accept, &best);
  if (!best.path.empty())
    return best.path;
  // logrotate's olddir: another directory, found when the glob of the target walks it.
  for (size_t i = 0; i < options_.targets.size() && i < target_dirs_.size(); ++i) {
    if (!GlobMatch(options_.targets[i].include, origin))
      continue;
    for (const std::string& d : target_dirs_[i]) {
      if (d != dir)
        FindInDir(d, fp, min_size, accept, &best);
    }
  }
  return best.path;
}

std::string TailManager::FindCopy(const std::string& origin, const Fingerprint& fp,
                                  uint64_t min_size, const FileKey& self) {
  if (fp.len == 0)
    return "";  // an empty fingerprint matches any file
  return FindNear(origin, fp, min_size, [&](const FileStat& st) {
    return st.key != self && !files_.contains(st.key) && !ignored_.contains(st.key);
  });
}

void TailManager::HandleReplaced(const FileKey& key) {
  FileTailer& t = *files_.at(key);
  // Looked for even when nothing was read: the old content may never have been read at all.
  std::string copy = FindCopy(t.origin_path(), t.fingerprint(), t.read_offset(), key);
  int fd = copy.empty() ? -1 : ::open(copy.c_str(), O_RDONLY | O_CLOEXEC);
  Result<FileStat> st = fd >= 0 ? StatFd(fd) : Result<FileStat>(IOError("no copy"));
  if (st.ok() && !files_.contains(st->key) && st->size >= t.read_offset() &&
      FingerprintMatches(fd, t.fingerprint())) {
    std::unique_ptr<FileTailer> rest = t.SplitOffCopy(copy, fd, st->key);
    pending_.erase(st->key);
    held_[key] = st->key;
    dirty_.insert(st->key);
    files_[st->key] = std::move(rest);
    options_.metrics->files_active->Set(static_cast<double>(files_.size()));
  } else {
    if (fd >= 0)
      ::close(fd);
    t.Restart();
  }
  TakeAbandoned(&t);
  dirty_.insert(key);
}

void TailManager::TakeAbandoned(FileTailer* t) {
  for (FileTailer::Abandoned& a : t->TakeAbandoned())
    retired_.push_back(Retired{std::move(a.progress), std::move(a.position), true});
}

bool TailManager::IsHeldCopy(const FileKey& key) const {
  for (const auto& [file, copy] : held_) {
    if (copy == key)
      return true;
  }
  return false;
}

void TailManager::ReleaseHolds(const FileKey& copy) {
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second == copy) {
      dirty_.insert(it->first);
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
}

void TailManager::ReadEvents() {
  if (inotify_fd_ < 0)
    return;
  alignas(struct inotify_event) char buf[16384];
  while (true) {
    ssize_t n = ::read(inotify_fd_, buf, sizeof(buf));
    if (n <= 0)
      break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<struct inotify_event*>(p);
      p += sizeof(struct inotify_event) + ev->len;
      if (ev->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
        rescan_requested_ = true;
        if (ev->mask & IN_IGNORED) {
          auto it = watches_.find(ev->wd);
          if (it != watches_.end()) {
            watched_dirs_.erase(it->second);
            watches_.erase(it);
          }
        }
        continue;
      }
      if (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) {
        rescan_requested_ = true;
      }
      if ((ev->mask & IN_MODIFY) && ev->len > 0) {
        auto w = watches_.find(ev->wd);
        if (w == watches_.end())
          continue;
        auto f = by_path_.find(JoinPath(w->second, ev->name));
        if (f != by_path_.end())
          dirty_.insert(f->second);
      }
    }
  }
}

void TailManager::Release(const FileKey& key) {
  auto it = files_.find(key);
  if (it == files_.end())
    return;
  FileTailer& t = *it->second;
  t.FlushAll();
  spdlog::info("done with {} at offset {}", t.path(), t.read_offset());
  for (auto& [copy, p] : pending_) {
    if (p.copy_of == key)
      p.copy_read = t.read_offset();  // read to its end: its copy holds nothing more
  }
  retired_.push_back(Retired{t.progress(), t.Position()});
  options_.metrics->file_lag->Set({t.path()}, 0);
  dirty_.erase(key);
  files_.erase(it);
  options_.metrics->files_active->Set(static_cast<double>(files_.size()));
}

void TailManager::RunOnce(int64_t max_wait_ns) {
  ReadEvents();
  int64_t now = options_.clock->MonotonicNanos();
  if (rescan_requested_ || now >= next_rescan_) {
    Rescan();
    next_rescan_ = now + options_.rescan_period_ns;
  } else if (!pending_.empty()) {
    ExaminePending();
  }
  if (now >= next_poll_) {
    for (const auto& [key, t] : files_)
      dirty_.insert(key);
    next_poll_ = now + options_.poll_period_ns;
  }
  if (now >= next_check_ && !options_.sink->HasRoom()) {
    // Nothing is read while the sink is full, but the files are still watched (an fstat each,
    // a fingerprint when they changed): a copytruncate is noticed now, while its copy is there
    // to drain the unread old content from, and fingerprints grow so the positions file can
    // identify content that a crash leaves behind.
    next_check_ = now + kBlockedCheckPeriod;
    std::vector<FileKey> replaced;
    for (const auto& [key, t] : files_) {
      Result<bool> r = t->CheckReplaced();
      if (r.ok() && *r)
        replaced.push_back(key);
    }
    for (const FileKey& key : replaced)
      HandleReplaced(key);
  }
  bool more = false;
  std::vector<FileKey> to_release;
  // Round robin: start after the file read last, so one file that keeps filling the sink (a
  // busy one, or a backlog after an outage) cannot keep the others from being read.
  auto first = last_read_ ? dirty_.upper_bound(*last_read_) : dirty_.begin();
  std::vector<FileKey> work(first, dirty_.end());
  work.insert(work.end(), dirty_.begin(), first);
  for (const FileKey& key : work) {
    auto it = files_.find(key);
    if (it == files_.end()) {
      dirty_.erase(key);
      continue;
    }
    if (auto h = held_.find(key); h != held_.end()) {
      if (files_.contains(h->second))
        continue;  // stays dirty: the copy of its old content is drained first
      held_.erase(h);
    }
    if (!options_.sink->HasRoom()) {
      more = false;
      break;
    }
    FileTailer& t = *it->second;
    Result<size_t> n = t.ReadSome(kReadBudget);
    last_read_ = key;
    if (n.ok() && t.replaced()) {
      HandleReplaced(key);
      more = true;
      continue;
    }
    TakeAbandoned(&t);
    if (!n.ok()) {
      spdlog::warn("{}: {}", t.path(), n.status().ToString());
      dirty_.erase(key);
      ReleaseHolds(key);
      continue;
    }
    if (*n >= kReadBudget) {
      more = true;
    } else if (t.read_offset() < t.last_size()) {
      // Stopped because the sink filled up: stays dirty, read on when there is room.
    } else {
      dirty_.erase(key);
      if (IsHeldCopy(key)) {
        // The copy is drained: its last lines (no newline after them, nobody writes to a copy)
        // go before the truncated file's new content.
        t.FlushAll();
        ReleaseHolds(key);
        more = true;
      }
      if (t.detached) {
        auto under_glob = [&] {
          Result<FileStat> at = StatPath(t.path());
          return at.ok() && at->key == key && MatchesTarget(t.path());
        };
        if (now - t.last_growth_mono_ns < options_.detach_grace_ns) {
          dirty_.insert(key);  // look again until the grace period ends
        } else if (under_glob()) {
          // Still under a glob (a drained copy app.log.1 of `app.log*`): tailed like any
          // file there, not let go (the next rescan would take it for a new file).
          t.detached = false;
          by_path_[t.path()] = key;
        } else {
          to_release.push_back(key);
        }
      }
    }
  }
  for (const FileKey& key : to_release)
    Release(key);
  int64_t deadline = std::min({next_rescan_, next_poll_, next_sync_});
  for (const auto& [key, t] : files_) {
    t->FlushDue(now);
    if (auto d = t->NextDeadline())
      deadline = std::min(deadline, *d);
  }
  const bool acked = options_.acks != nullptr && options_.acks->acked() != recorded_seq_;
  if (acked || now >= next_sync_) {
    if (writer_) {
      options_.acks->ClearWake();
      recorded_seq_ = options_.acks->acked();  // read before recording: covers no more
      RecordPositions();
      if (now >= next_sync_)
        UpdateLag();
      writer_->Request(recorded_seq_);
    } else {
      SyncPositions().IgnoreError();
    }
    if (now >= next_sync_)
      next_sync_ = now + options_.positions_sync_ns;
  }
  int64_t wait = std::max<int64_t>(0, deadline - options_.clock->MonotonicNanos());
  bool detached_waiting = false;
  for (const FileKey& key : dirty_) {
    auto it = files_.find(key);
    detached_waiting = detached_waiting || (it != files_.end() && it->second->detached);
  }
  if (detached_waiting || !pending_.empty())
    wait = std::min<int64_t>(wait, 100'000'000);
  if (more)
    wait = 0;
  if (!options_.sink->HasRoom())
    wait = std::min<int64_t>(wait, 20'000'000);
  wait = std::min(wait, max_wait_ns);
  struct pollfd pfds[2];
  nfds_t nfds = 0;
  if (inotify_fd_ >= 0)
    pfds[nfds++] = {inotify_fd_, POLLIN, 0};
  if (writer_ && options_.acks->wake_fd() >= 0)
    pfds[nfds++] = {options_.acks->wake_fd(), POLLIN, 0};
  if (nfds > 0) {
    ::poll(pfds, nfds, static_cast<int>(wait / 1'000'000));
  } else if (wait > 0) {
    ::usleep(static_cast<useconds_t>(wait / 1000));
  }
}

void TailManager::Run() {
  while (!stop_.load())
    RunOnce(200'000'000);
}

void TailManager::UpdateLag() {
  for (const auto& [key, t] : files_) {
    uint64_t acked = t->progress()->Acked();
    uint64_t size = t->replaced() ? t->last_size() : t->CurrentSize();
    double lag = size > acked ? static_cast<double>(size - acked) : 0;
    options_.metrics->file_lag->Set({t->path()}, lag);
  }
}

Status TailManager::SyncPositions() {
  const uint64_t seq = options_.acks != nullptr ? options_.acks->acked() : 0;
  RecordPositions();
  UpdateLag();
  Status s = options_.positions->Save();
  if (!s.ok())
    spdlog::error("writing positions: {}", s.ToString());
  if (options_.acks != nullptr) {
    recorded_seq_ = std::max(recorded_seq_, seq);
    options_.acks->MarkDurable(seq);
  }
  return s;
}

void TailManager::RecordPositions() {
  for (const auto& [key, t] : files_)
    options_.positions->Set(t->Position());
  for (auto it = retired_.begin(); it != retired_.end();) {
    if (!it->progress->HasPending()) {
      if (it->orphan) {
        options_.positions->RemoveOrphan(it->position);
      } else {
        options_.positions->Remove(it->position.key);
      }
      it = retired_.erase(it);
    } else {
      it->position.offset = it->progress->Acked();
      if (it->orphan) {
        options_.positions->SetOrphan(it->position);
      } else {
        options_.positions->Set(it->position);
      }
      ++it;
    }
  }
  for (const PositionEntry& e : options_.positions->Orphans()) {
    bool live = false;
    for (const Retired& r : retired_) {
      live = live ||
             (r.orphan && r.position.path == e.path && r.position.fingerprint == e.fingerprint);
    }
    if (!live)
      options_.positions->RemoveOrphan(e);
  }
  // Entries for files that are neither tailed nor retired are stale (gone for good).
  for (const PositionEntry& e : options_.positions->All()) {
    if (e.has_identity() && !files_.contains(e.key)) {
      bool retired = false;
      for (const Retired& r : retired_)
        retired = retired || r.position.key == e.key;
      if (!retired)
        options_.positions->Remove(e.key);
    }
  }
}

void TailManager::FlushAll() {
  for (auto& [key, t] : files_)
    t->FlushAll();
}

bool TailManager::CaughtUp() {
  for (const auto& [key, t] : files_) {
    Result<FileStat> st = StatPath(t->path());
    if (t->read_offset() < t->last_size())
      return false;
    if (st.ok() && st->key == key && st->size != t->read_offset())
      return false;
  }
  return true;
}

}  // namespace sluice::agent
