// FileSystem seam (house style #6). Storage code takes a FileSystem* from its Options;
// FileSystem::Default() is the real POSIX one. NewMemFileSystem() (tests) and
// NewFaultInjectionFileSystem() (crash tests: drops bytes not yet synced) live in
// common/mem_file_system.h and common/fault_file_system.h.
//
// Durability contract: data appended to a WritableFile survives a crash only after Sync();
// a created, renamed or removed directory entry survives only after SyncDir() of its parent.
// Thread-safety: a FileSystem is thread-safe; a file object is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Flush() = 0;  // hands buffered bytes to the OS
  virtual Status Sync() = 0;   // Flush() then fdatasync
  virtual Status Close() = 0;
  virtual uint64_t Size() const = 0;  // bytes appended so far (including any initial size)
};

class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes into scratch; *result views the bytes read (empty at end of file).
  virtual Status Read(size_t n, std::string_view* result, char* scratch) = 0;
  virtual Status Skip(uint64_t n) = 0;
};

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset; fewer only at end of file. Safe for concurrent use.
  virtual Status Read(uint64_t offset, size_t n, std::string_view* result, char* scratch) const = 0;
  virtual uint64_t Size() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates or truncates.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // Opens for appending, creating if absent.
  virtual Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  virtual Result<uint64_t> GetFileSize(const std::string& path) = 0;
  // Names (not paths) of the entries of `dir`, without "." and "..", in no particular order.
  virtual Result<std::vector<std::string>> GetChildren(const std::string& dir) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Creates `dir` and any missing parents; OK if it exists.
  virtual Status CreateDirs(const std::string& dir) = 0;
  virtual Status RemoveDir(const std::string& dir) = 0;
  // Atomically replaces `to` with `from`.
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Makes directory entry changes in `dir` durable.
  virtual Status SyncDir(const std::string& dir) = 0;

  // The real file system. Never null; never deleted.
  static FileSystem* Default();
};

// Reads a whole file.
Result<std::string> ReadFileToString(FileSystem* fs, const std::string& path);
// Writes `data` to `path` so that after a crash the file holds either its old content or
// `data`, never a mix: write to path + ".tmp", Sync, rename, SyncDir(parent).
Status WriteFileAtomically(FileSystem* fs, const std::string& path, std::string_view data);
// "a/b" + "c" -> "a/b/c".
std::string JoinPath(std::string_view dir, std::string_view name);
// Parent directory of a path ("." when none).
std::string DirName(std::string_view path);

}  // namespace sluice
