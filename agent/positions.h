// The positions file: per tailed file, the offset of the last byte every client has
// acknowledged, with the file's identity (device, inode, fingerprint) so a restart resumes the
// same file even after it was renamed. Written atomically (temp file, fsync, rename, fsync of
// the directory) through FileSystem. Format (YAML; `positions:` is Promtail's section, so
// Promtail can read it and we can read Promtail's):
//
//   positions:
//     /var/log/app.log: "1234"
//   files:
//     - {path: /var/log/app.log, dev: 2049, inode: 131, fingerprint: "1024:3735928559",
//        offset: 1234}
//
// A corrupt or unreadable file is reported (Open's *problem) and survived: the agent starts
// with no positions (files are read again from their start: duplicates, never loss) and keeps
// the bad file as <filename>.corrupt for inspection.
// Thread-safety: all methods lock; safe from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/file_identity.h"
#include "common/file_system.h"
#include "common/metrics.h"

namespace sluice::agent {

struct PositionEntry {
  std::string path;
  FileKey key;              // {0,0} for an entry read from a Promtail file (path only)
  Fingerprint fingerprint;  // len 0 when unknown
  uint64_t offset = 0;
  // Content that was truncated away (copytruncate) before all of it was acknowledged: found
  // again after a restart by fingerprint among the files next to `path` (the copy).
  bool orphan = false;

  bool has_identity() const { return key.dev != 0 || key.ino != 0; }
};

class Positions {
 public:
  struct Options {
    FileSystem* fs = nullptr;  // null: FileSystem::Default()
    std::string filename;
    bool read_only = false;            // --dry-run: never written
    Counter* writes_metric = nullptr;  // incremented per write; may be null
  };

  // Loads the file if it exists. Never fails on content: a problem is described in *problem.
  // Fails only if the directory of the file cannot be created.
  static Result<std::unique_ptr<Positions>> Open(Options options, std::string* problem);

  std::optional<PositionEntry> FindByKey(const FileKey& key) const;
  std::optional<PositionEntry> FindByPath(const std::string& path) const;
  std::vector<PositionEntry> All() const;

  // Replaces the entry of the same key (or, keyless, the same path).
  void Set(PositionEntry entry);
  void Remove(const FileKey& key);
  void SetOrphan(PositionEntry entry);
  void RemoveOrphan(const PositionEntry& entry);
  std::vector<PositionEntry> Orphans() const;
  // Writes the file if something changed since the last Save. Concurrent calls write one
  // after the other.
  Status Save();
  // Successful writes of the file so far (metrics, tests).
  uint64_t writes() const;

  // The serialized form (exposed for tests).
  static std::string Serialize(const std::vector<PositionEntry>& entries);
  static Result<std::vector<PositionEntry>> Parse(std::string_view text);

 private:
  explicit Positions(Options options) : options_(std::move(options)) {}

  Options options_;
  std::mutex save_mu_;  // one write at a time (they share the temp file); taken before mu_
  mutable std::mutex mu_;
  std::map<FileKey, PositionEntry> by_key_;       // entries with identity
  std::map<std::string, PositionEntry> legacy_;   // Promtail entries (path only)
  std::map<std::string, PositionEntry> orphans_;  // by path + fingerprint
  bool dirty_ = false;
  uint64_t writes_ = 0;
};

// PositionsWriter: writes the positions file on its own thread, so an fsync never holds up
// reading or shipping. Requests coalesce: at most one write is in flight, and requests made
// meanwhile are served by one more write of the then latest state. `on_written(seq)` is
// called after each attempt with the largest `seq` requested before the state was taken
// (a failed write is logged and retried at the next request; it still reports, so a disk
// that refuses the file cannot stop the agent).
//
//   PositionsWriter w(&positions, [&](uint64_t seq) { acks.MarkDurable(seq); });
//   positions.Set(...);  w.Request(seq);
class PositionsWriter {
 public:
  PositionsWriter(Positions* positions, std::function<void(uint64_t)> on_written);
  ~PositionsWriter();  // finishes the write in flight, drops requests not begun
  PositionsWriter(const PositionsWriter&) = delete;
  PositionsWriter& operator=(const PositionsWriter&) = delete;

  // Call after recording the offsets that `seq` stands for.
  void Request(uint64_t seq);

 private:
  void Run();

  Positions* positions_;
  std::function<void(uint64_t)> on_written_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  uint64_t seq_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sluice::agent
