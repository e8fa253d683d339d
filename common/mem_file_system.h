// An in-memory FileSystem for tests (house style #6, after LevelDB's memenv). Files and
// directories live in a map; nothing touches the disk. Every write is immediately "durable":
// combine with NewFaultInjectionFileSystem (common/fault_file_system.h) to simulate crashes.
// Thread-safety: the FileSystem is thread-safe; file objects are used by one thread at a time,
// though a file may be read while another handle appends to it.
#pragma once

#include <memory>

#include "common/file_system.h"

namespace sluice {

std::unique_ptr<FileSystem> NewMemFileSystem();

}  // namespace sluice
