// NameTable: a small immutable hash map from strings (property names, enum strings) to their
// index in the list it was built from, for the per-field lookups of `properties`, `required`
// and `enum`. Open addressing with linear probing at load <= 1/2. Each slot keeps the key's
// length and two 64-bit words read from its head and tail, which together spell out every
// key of up to 16 bytes, so short keys compare without touching the key bytes again (no
// memcmp call); longer keys compare their middle with memcmp.
// Thread-safety: immutable after construction; Find is const and reentrant.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::schema {

class NameTable {
 public:
  NameTable() = default;
  // Later duplicates of a name are ignored (Find returns the first index).
  explicit NameTable(const std::vector<std::string_view>& names);

  // The index of `key` in the names given to the constructor, or -1.
  int Find(std::string_view key) const {
    if (mask_ == 0)
      return -1;
    Words w = WordsOf(key);
    for (size_t i = Hash(w) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index < 0)
        return -1;
      if (s.head == w.head && s.tail == w.tail && s.length == key.size() &&
          (key.size() <= 16 ||
           std::memcmp(keys_[size_t(s.index)].data() + 8, key.data() + 8, key.size() - 16) == 0)) {
        return s.index;
      }
    }
  }

  size_t size() const { return keys_.size(); }

 private:
  struct Words {
    uint64_t head = 0, tail = 0;
  };

  struct Slot {
    uint64_t head = 0, tail = 0;
    uint32_t length = 0;
    int32_t index = -1;  // -1: empty
  };

  // Head and tail words that, with the length, determine a key of up to 16 bytes.
  static Words WordsOf(std::string_view k) {
    Words w;
    const char* p = k.data();
    size_t n = k.size();
    if (n >= 8) {
      std::memcpy(&w.head, p, 8);
      std::memcpy(&w.tail, p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w.head = a;
      w.tail = b;
    } else if (n > 0) {
      w.head = uint64_t(uint8_t(p[0])) | uint64_t(uint8_t(p[n / 2])) << 8 |
               uint64_t(uint8_t(p[n - 1])) << 16;
    }
    return w;
  }

  static size_t Hash(const Words& w) {
    uint64_t h = (w.head ^ (w.tail * 0x9E3779B97F4A7C15ull)) * 0xC2B2AE3D27D4EB4Full;
    return size_t(h >> 40);
  }

  std::vector<Slot> slots_;
  std::vector<std::string> keys_;
  size_t mask_ = 0;  // slots_.size() - 1; 0 when empty
};

}  // namespace sluice::schema
