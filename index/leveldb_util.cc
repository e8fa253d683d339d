#include "index/leveldb_util.h"

namespace sluice::index {

Status FromLevelDb(const leveldb::Status& s, std::string_view what) {
  if (s.ok()) {
    return Status::Ok();
  }
  std::string msg = "index: " + std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) {
    return CorruptionError(std::move(msg));
  }
  if (s.IsNotFound()) {
    return NotFoundError(std::move(msg));
  }
  return IOError(std::move(msg));
}

}  // namespace sluice::index
