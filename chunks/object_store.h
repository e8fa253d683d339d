// ObjectStore: the seam chunk files are written through (put/get/list/delete by key), so an
// S3-compatible store can replace the local file system without touching callers.
//
// Keys are '/'-separated relative paths such as "<tenant>/<fp 16 hex>/<from>-<through>-<crc>";
// they never start with '/' and contain no "." or ".." segment (NewLocalObjectStore rejects such
// keys with InvalidArgument).
//
// Contract: Put is atomic and durable when it returns OK (a reader sees either no object or the
// whole object, also after a crash); Get of a missing key is NotFound; List returns the keys that
// start with `prefix`, sorted; Delete of a missing key is OK.
// Thread-safety: implementations are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice {
class FileSystem;
}

namespace sluice::chunks {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Stores `data` under `key`, replacing any object there. Durable on OK.
  virtual Status Put(const std::string& key, std::string_view data) = 0;
  virtual Result<std::string> Get(const std::string& key) = 0;
  // Keys starting with `prefix` (a plain string prefix, e.g. "tenant/"), sorted ascending.
  virtual Result<std::vector<std::string>> List(std::string_view prefix) = 0;
  virtual Status Delete(const std::string& key) = 0;
};

// An ObjectStore keeping each object as the file `root_dir/<key>`; Put writes `<key>.tmp`,
// syncs, renames and syncs the directory. `fs` is borrowed and must outlive the store.
std::unique_ptr<ObjectStore> NewLocalObjectStore(FileSystem* fs, std::string root_dir);

}  // namespace sluice::chunks
