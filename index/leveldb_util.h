// Small adapters between LevelDB and Sluice types, private to index/: Status conversion,
// string_view <-> Slice, and the key bytes after a known prefix.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <leveldb/iterator.h>
#include <leveldb/slice.h>
#include <leveldb/status.h>

#include "common/status.h"

namespace sluice::index {

// OK for OK; Corruption, NotFound or IOError otherwise, with `what` in the message.
Status FromLevelDb(const leveldb::Status& s, std::string_view what);

inline leveldb::Slice ToSlice(std::string_view s) {
  return leveldb::Slice(s.data(), s.size());
}

inline std::string_view ToView(const leveldb::Slice& s) {
  return std::string_view(s.data(), s.size());
}

// The bytes of `key` after its first `prefix_len` bytes.
inline std::string_view KeyRest(const leveldb::Slice& key, size_t prefix_len) {
  return std::string_view(key.data() + prefix_len, key.size() - prefix_len);
}

// True while `it` is on a key starting with `prefix`.
inline bool InPrefix(const leveldb::Iterator* it, std::string_view prefix) {
  return it->Valid() && it->key().starts_with(ToSlice(prefix));
}

}  // namespace sluice::index
