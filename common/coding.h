// Byte coding shared by every on-disk and wire format: little-endian fixed-width integers,
// LEB128 varints, and CRC32C (Castagnoli) with LevelDB-style masking for stored checksums.
// All functions are pure; thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice {

void PutFixed32(std::string* dst, uint32_t v);
void PutFixed64(std::string* dst, uint64_t v);
void PutVarint32(std::string* dst, uint32_t v);
void PutVarint64(std::string* dst, uint64_t v);
// Zig-zag signed varint (small negative deltas stay small).
void PutVarsint64(std::string* dst, int64_t v);
// Varint length followed by the bytes.
void PutLengthPrefixed(std::string* dst, std::string_view s);

inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));  // little-endian hosts only (x86_64, aarch64)
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Each Get* consumes from the front of `in`; returns false (leaving `in` unspecified) when the
// input is truncated or malformed.
bool GetFixed32(std::string_view* in, uint32_t* v);
bool GetFixed64(std::string_view* in, uint64_t* v);
bool GetVarint32(std::string_view* in, uint32_t* v);
bool GetVarint64(std::string_view* in, uint64_t* v);
bool GetVarsint64(std::string_view* in, int64_t* v);
bool GetLengthPrefixed(std::string_view* in, std::string_view* out);

int VarintLength(uint64_t v);

namespace crc32c {

// CRC32C of data, continuing from `init_crc` (the CRC of earlier bytes).
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }
inline uint32_t Value(std::string_view s) { return Extend(0, s.data(), s.size()); }

// A CRC stored next to data that itself contains CRCs is masked, so that computing the CRC of
// the whole does not degenerate (LevelDB's reasoning).
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return ((rot >> 17) | (rot << 15));
}

}  // namespace crc32c
}  // namespace sluice
