// A FileSystem wrapper for crash tests (house style #6, after LevelDB's fault_injection_test).
// It forwards to a base FileSystem and remembers what has been made durable:
//   - bytes appended to a file survive only up to the file's last Sync();
//   - a file created or renamed into a directory survives only once SyncDir() of that
//     directory has been called afterwards.
// DropUnsyncedData() then simulates a power cut on the base: files are truncated to their
// synced length and files whose directory entry was never synced are removed.
//
//   auto base = NewMemFileSystem();
//   auto fault = NewFaultInjectionFileSystem(base.get());
//   ... run the code under test on fault.get(), close it ...
//   ASSERT_TRUE(fault->DropUnsyncedData().ok());
//   ... reopen on fault.get() (or base) and check that all acknowledged data is there ...
//
// Limitation: an unsynced rename over an existing file loses the target entirely (a real file
// system would keep the old content); the code under test syncs directories after renames.
// Thread-safety: as FileSystem. DropUnsyncedData() must not race with open writers: close them.
#pragma once

#include <memory>

#include "common/file_system.h"

namespace sluice {

class FaultInjectionFileSystem : public FileSystem {
 public:
  // Truncates every tracked file to its synced length and removes files whose directory entry
  // was not synced. Tracking starts afresh afterwards (everything left counts as durable).
  virtual Status DropUnsyncedData() = 0;
  // While false, every write, sync and directory change fails with IOError (a full or failing
  // disk). Default true.
  virtual void SetFilesystemActive(bool active) = 0;
};

// `base` is borrowed and must outlive the returned file system.
std::unique_ptr<FaultInjectionFileSystem> NewFaultInjectionFileSystem(FileSystem* base);

}  // namespace sluice
