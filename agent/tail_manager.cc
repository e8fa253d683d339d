#include "agent/tail_manager.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>

#include <spdlog/spdlog.h>

#include "agent/glob.h"
#include "agent/kube_labels.h"
#include "common/clock.h"

namespace sluice::agent {
namespace {

constexpr size_t kReadBudget = 256 * 1024;  // per file per turn: fairness between files

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
  spdlog::info("tailing {} (job {}) from offset {}", path, target.job, offset);
  dirty_.insert(st->key);
  if (!detached)
    by_path_[path] = st->key;
  files_[st->key] = std::move(tailer);
}

void TailManager::Rescan() {
  rescan_requested_ = false;
  std::set<FileKey> seen;
  std::map<std::string, FileKey> paths;
  for (const TargetSpec& target : options_.targets) {
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
      AddFile(path, target, path, std::nullopt, false);
    }
  }
  for (auto& [key, tailer] : files_) {
    if (!seen.contains(key) && !tailer->detached) {
      spdlog::info("{} rotated or deleted; reading its remaining bytes", tailer->path());
      tailer->detached = true;
      dirty_.insert(key);
    }
  }
  by_path_ = std::move(paths);
  options_.metrics->files_active->Set(static_cast<double>(files_.size()));
}

void TailManager::RecoverRotatedWhileDown() {
  std::vector<PositionEntry> entries = options_.positions->All();
  for (PositionEntry& e : options_.positions->Orphans())
    entries.push_back(std::move(e));
  for (const PositionEntry& pos : entries) {
    if (!pos.orphan && (!pos.has_identity() || files_.contains(pos.key)))
      continue;
    const TargetSpec* target = nullptr;
    for (const TargetSpec& t : options_.targets) {
      if (GlobMatch(t.include, pos.path)) {
        target = &t;
        break;
      }
    }
    if (target == nullptr)
      continue;
    std::string dir = DirName(pos.path);
    DIR* d = opendir(dir.c_str());
    if (d == nullptr)
      continue;
    std::string found;
    while (struct dirent* ent = readdir(d)) {
      std::string candidate = JoinPath(dir, ent->d_name);
      Result<FileStat> st = StatPath(candidate);
      if (!st.ok() || !st->regular || files_.contains(st->key))
        continue;
      // A renamed file keeps its inode; a truncated-away content survives only in its copy,
      // recognised by the fingerprint of its first bytes.
      if (!pos.orphan && st->key != pos.key)
        continue;
      if (pos.orphan && (st->size <= pos.offset || pos.fingerprint.len == 0))
        continue;
      int fd = ::open(candidate.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        continue;
      bool same = FingerprintMatches(fd, pos.fingerprint);
      ::close(fd);
      if (same) {
        found = candidate;
        break;
      }
    }
    closedir(d);
    if (found.empty())
      continue;
    spdlog::info("{} was rotated to {} while the agent was down; draining it from offset {}",
                 pos.path, found, pos.offset);
    AddFile(found, *target, pos.path, pos.offset, /*detached=*/true);
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
  }
  if (now >= next_poll_) {
    for (const auto& [key, t] : files_)
      dirty_.insert(key);
    next_poll_ = now + options_.poll_period_ns;
  }
  bool more = false;
  std::vector<FileKey> to_release;
  std::vector<FileKey> work(dirty_.begin(), dirty_.end());
  for (const FileKey& key : work) {
    auto it = files_.find(key);
    if (it == files_.end()) {
      dirty_.erase(key);
      continue;
    }
    if (!options_.sink->HasRoom()) {
      more = false;
      break;
    }
    FileTailer& t = *it->second;
    Result<size_t> n = t.ReadSome(kReadBudget);
    for (FileTailer::Abandoned& a : t.TakeAbandoned()) {
      retired_.push_back(Retired{std::move(a.progress), std::move(a.position), true});
    }
    if (!n.ok()) {
      spdlog::warn("{}: {}", t.path(), n.status().ToString());
      dirty_.erase(key);
      continue;
    }
    if (*n >= kReadBudget) {
      more = true;
    } else {
      dirty_.erase(key);
      if (t.detached) {
        if (now - t.last_growth_mono_ns >= options_.detach_grace_ns) {
          to_release.push_back(key);
        } else {
          dirty_.insert(key);  // look again until the grace period ends
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
  if (now >= next_sync_) {
    SyncPositions().IgnoreError();
    next_sync_ = now + options_.positions_sync_ns;
  }
  int64_t wait = std::max<int64_t>(0, deadline - options_.clock->MonotonicNanos());
  bool detached_waiting = false;
  for (const FileKey& key : dirty_) {
    auto it = files_.find(key);
    detached_waiting = detached_waiting || (it != files_.end() && it->second->detached);
  }
  if (detached_waiting)
    wait = std::min<int64_t>(wait, 100'000'000);
  if (more)
    wait = 0;
  if (!options_.sink->HasRoom())
    wait = std::min<int64_t>(wait, 20'000'000);
  wait = std::min(wait, max_wait_ns);
  if (inotify_fd_ >= 0) {
    struct pollfd pfd {
      inotify_fd_, POLLIN, 0
    };

    ::poll(&pfd, 1, static_cast<int>(wait / 1'000'000));
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
    double lag = t->last_size() > acked ? static_cast<double>(t->last_size() - acked) : 0;
    options_.metrics->file_lag->Set({t->path()}, lag);
  }
}

Status TailManager::SyncPositions() {
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
  UpdateLag();
  Status s = options_.positions->Save();
  if (!s.ok())
    spdlog::error("writing positions: {}", s.ToString());
  return s;
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
