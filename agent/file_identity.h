// File identity for tailing: device + inode, plus a fingerprint (length and CRC32C) of the
// file's first bytes, so a reused inode or a copytruncate'd file is told apart from the file
// we were reading. Paths do not identify files: rotation renames them.
// Thread-safety: plain values and stateless functions (POSIX calls on caller's fds).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace sluice::agent {

// Bytes hashed for the fingerprint; fewer while the file is shorter.
inline constexpr uint32_t kFingerprintBytes = 1024;

struct FileKey {
  uint64_t dev = 0;
  uint64_t ino = 0;
  friend bool operator==(const FileKey&, const FileKey&) = default;
  friend auto operator<=>(const FileKey&, const FileKey&) = default;
};

struct Fingerprint {
  uint32_t len = 0;  // bytes covered (0: empty file, matches anything)
  uint32_t crc = 0;
  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
  // "len:crc" (positions file form) and back.
  std::string ToString() const;
  static Result<Fingerprint> Parse(std::string_view text);
};

struct FileStat {
  FileKey key;
  uint64_t size = 0;
  uint64_t nlink = 0;
  int64_t mtime_ns = 0;  // a rewrite to the same size still changes it
  bool regular = false;
};

Result<FileStat> StatPath(const std::string& path);
Result<FileStat> StatFd(int fd);

// Fingerprint of the first min(max_len, file size) bytes of `fd`.
Result<Fingerprint> ComputeFingerprint(int fd, uint32_t max_len = kFingerprintBytes);

// True if the file's first `fp.len` bytes still hash to `fp` (so it is the same content).
bool FingerprintMatches(int fd, const Fingerprint& fp);

}  // namespace sluice::agent
