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

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/file_identity.h"
#include "common/file_system.h"

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
    bool read_only = false;  // --dry-run: never written
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
  // Writes the file if something changed since the last Save.
  Status Save();

  // The serialized form (exposed for tests).
  static std::string Serialize(const std::vector<PositionEntry>& entries);
  static Result<std::vector<PositionEntry>> Parse(std::string_view text);

 private:
  explicit Positions(Options options) : options_(std::move(options)) {}

  Options options_;
  mutable std::mutex mu_;
  std::map<FileKey, PositionEntry> by_key_;       // entries with identity
  std::map<std::string, PositionEntry> legacy_;   // Promtail entries (path only)
  std::map<std::string, PositionEntry> orphans_;  // by path + fingerprint
  bool dirty_ = false;
};

}  // namespace sluice::agent
