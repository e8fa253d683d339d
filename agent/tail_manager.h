// TailManager: finds the files of every target (globs with exclusions, Kubernetes path labels,
// relabel_configs), follows them across rotation, and drives their FileTailers on one thread.
//
// Discovery: inotify on every directory the globs walk (create, move, delete, modify), plus a
// full rescan every `rescan_period_ns` and a cheap fstat of every file every `poll_period_ns` as
// safety nets (inotify can overflow or be unavailable). Idle files cost nothing between polls.
// Identity: files are keyed by device + inode; a path that now leads elsewhere, or no longer
// matches, detaches its old file, which is read to its end and let go `detach_grace_ns` after
// it stopped growing. A file renamed while the agent was down is found again next to its old
// path (same device, inode and fingerprint) and drained from its recorded offset.
// copytruncate: when a file is found truncated or replaced in place (checked on every read and,
// while the sink has no room, every poll), its copy is looked for next to it (same fingerprint,
// at least as long as what was read): the old content's reading state moves to a detached
// tailer on the copy, which is drained first, so what was not yet read or acknowledged is not
// lost. Without a copy, the unacknowledged entries are remembered as an orphan and, after a
// crash, found again in a copy next to the old path; so is old content whose truncation the
// agent had not noticed yet when it died (its position's fingerprint no longer matches).
// A copy that itself matches a glob (`*.log*` with copytruncate making app.log.1) is not a new
// file: a file found by a rescan with no position of its own is held (pending_, not read) while
// it may be a copy, and examined again on every iteration until decided. It is the copy when
// its full-length fingerprint (kFingerprintBytes; shorter ones identify nothing) is that of a
// tailed file and it is at least as long as what was read of that: while the original is not
// truncated it stays held (the original reads on); once the truncation is noticed the old
// content's reading state moves to it (as above); if the original reads on past its end
// (logrotate `copy`, no truncation) it is tailed from its end. Found after a restart, it matches
// a recorded position or orphan instead and is read from its acknowledged offset. A file that
// may still be a copy in progress (empty, or the first bytes of a tailed file's, or shorter than
// what was read) is held while it grows, at most `detach_grace_ns` after it last grew; a file
// that is none of these is read from its start, as before.
// Copies are looked for next to the file, then in every directory its target's glob walks
// (logrotate's `olddir`, when the glob covers it); a drained copy still matched by a glob is
// kept as a tailed file, not let go (else the next rescan would find it again as new).
// Positions: each file's acknowledged offset is recorded as soon as a shipper reports an
// acknowledgement (DurableAcks wakes the thread) and written by a PositionsWriter on its own
// thread (coalesced: one write in flight at a time); also every `positions_sync_ns`, the upper
// bound when nothing is acknowledged. Without DurableAcks, only every `positions_sync_ns`.
// Memory: no file is read while the sink has no room.
// Thread-safety: Init/RunOnce/Run/SyncPositions on one thread; RequestStop from any.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/durable_acks.h"
#include "agent/file_tailer.h"
#include "agent/positions.h"

namespace sluice::agent {

struct TargetSpec {
  std::string job;
  std::string include;                                  // __path__
  std::string exclude;                                  // __path_exclude__ ("" none)
  LabelMap labels;                                      // static labels (with __path__ etc.)
  const std::vector<RelabelConfig>* relabel = nullptr;  // may be null
  JobContext* context = nullptr;                        // required
};

struct TailManagerOptions {
  std::vector<TargetSpec> targets;
  Positions* positions = nullptr;   // required
  AgentMetrics* metrics = nullptr;  // required
  const Clock* clock = nullptr;     // required
  EntrySink* sink = nullptr;        // required
  DurableAcks* acks = nullptr;      // null: positions written every positions_sync_ns only
  int64_t rescan_period_ns = 10'000'000'000;
  int64_t poll_period_ns = 1'000'000'000;  // safety net under inotify (250 ms without)
  int64_t positions_sync_ns = 10'000'000'000;
  int64_t detach_grace_ns = 1'000'000'000;
  bool use_inotify = true;
  std::string positions_path;  // never tailed
};

class TailManager {
 public:
  explicit TailManager(TailManagerOptions options);
  ~TailManager();

  // Sets up inotify and runs the first scan.
  Status Init();
  // One iteration: events, scans, reads, flushes; waits at most `max_wait_ns` for events.
  void RunOnce(int64_t max_wait_ns);
  // Loops until RequestStop().
  void Run();

  void RequestStop() { stop_.store(true); }

  // Records every file's acknowledged offset and writes the positions file (on this thread).
  Status SyncPositions();
  // Emits buffered partial lines of every file (shutdown).
  void FlushAll();

  size_t active_files() const { return files_.size(); }

  // True when no file has unread bytes (tests).
  bool CaughtUp();

 private:
  struct Retired {
    std::shared_ptr<FileProgress> progress;
    PositionEntry position;
    bool orphan = false;  // content truncated away (see Positions' orphans)
  };

  // A file found by a rescan, not read until ExaminePending decides whether it is a copy.
  struct Pending {
    std::string path;
    const TargetSpec* target = nullptr;
    uint64_t size = 0;
    int64_t changed_mono_ns = 0;  // when first seen or last grew
    // Verified as the copy of this tailed file's content (see ExaminePending) and how much of
    // that content the original had read when last looked at.
    std::optional<FileKey> copy_of;
    uint64_t copy_read = 0;
  };

  void Rescan();
  // Decides about each pending file: tails it (from its start, or where its content was read
  // or acknowledged), hands it the old content of a truncated original, or keeps it pending.
  void ExaminePending();
  // False while `*p` stays pending.
  bool ExamineOne(const FileKey& key, Pending* p, int64_t now);
  // True if some target's include (and not its exclude) matches `path`.
  bool MatchesTarget(const std::string& path) const;
  void AddFile(const std::string& path, const TargetSpec& target, const std::string& label_path,
               std::optional<uint64_t> forced_offset, bool detached);
  std::optional<LabelMap> TargetLabels(const TargetSpec& target, const std::string& path);
  void RecoverRotatedWhileDown();
  // A file next to `origin`, else in a directory the glob of its target walks (not tailed, not
  // `self`), starting with `fp` and at least `min_size` bytes long: the copy of truncated
  // content. "" when none.
  // The newest file that `accept`s, starting with `fp`, at least `min_size` bytes long: next to
  // `origin`, else in the directories the glob of its target walks. "" when none.
  std::string FindNear(const std::string& origin, const Fingerprint& fp, uint64_t min_size,
                       const std::function<bool(const FileStat&)>& accept);
  std::string FindCopy(const std::string& origin, const Fingerprint& fp, uint64_t min_size,
                       const FileKey& self);
  // The file was truncated or replaced in place: drain the old content from its copy, or
  // restart.
  void HandleReplaced(const FileKey& key);
  void TakeAbandoned(FileTailer* t);
  // The copy `copy` is drained (or unreadable): the file split from it is read again.
  void ReleaseHolds(const FileKey& copy);
  bool IsHeldCopy(const FileKey& key) const;
  void ReadEvents();
  void Release(const FileKey& key);
  void UpdateLag();
  // Puts every file's acknowledged offset into the Positions (in memory).
  void RecordPositions();

  TailManagerOptions options_;
  std::atomic<bool> stop_{false};
  int inotify_fd_ = -1;
  std::map<int, std::string> watches_;  // wd -> directory
  std::set<std::string> watched_dirs_;
  std::map<FileKey, std::unique_ptr<FileTailer>> files_;
  std::map<std::string, FileKey> by_path_;
  std::set<FileKey> dirty_;
  std::set<FileKey> ignored_;  // dropped by relabel_configs
  std::map<FileKey, Pending> pending_;
  std::vector<std::vector<std::string>> target_dirs_;  // per target: directories its glob walks
  // Truncated file -> the copy its old content is drained from first (order within the stream).
  std::map<FileKey, FileKey> held_;
  std::vector<Retired> retired_;
  bool rescan_requested_ = true;
  int64_t next_rescan_ = 0;
  int64_t next_poll_ = 0;
  int64_t next_sync_ = 0;
  int64_t next_check_ = 0;                   // while the sink is full
  std::unique_ptr<PositionsWriter> writer_;  // with options_.acks
  uint64_t recorded_seq_ = 0;                // options_.acks->acked() as last recorded
  std::optional<FileKey> last_read_;         // where the next round of reads starts (after it)
};

}  // namespace sluice::agent
