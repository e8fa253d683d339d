// Constants of the write-ahead log (chunks/WAL.md). Two layers: the framing (32 KiB pages of
// checksummed fragments, as LevelDB's log) and the records carried in it (first payload byte =
// record type). Changing any value changes the format: bump kWalVersion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::chunks::wal {

// ---- Framing ----
inline constexpr size_t kPageSize = 32 * 1024;
// masked CRC32C (4) + payload length (2) + fragment type (1)
inline constexpr size_t kFragmentHeaderSize = 7;

enum FragmentType : uint8_t {
  kZeroFragment = 0,  // page trailer padding (never written as a header)
  kFullFragment = 1,
  kFirstFragment = 2,
  kMiddleFragment = 3,
  kLastFragment = 4,
};

// ---- Records ----
inline constexpr std::string_view kWalMagic = "SLWAL";
inline constexpr uint8_t kWalVersion = 1;

// A record type with this bit set may be skipped by a reader that does not know it; an unknown
// type without it stops replay of the segment (written by a newer, incompatible version).
inline constexpr uint8_t kSkipSafeBit = 0x80;

enum RecordType : uint8_t {
  kSegmentHeader = 1,  // magic, version, segment number: first record of every segment
  kSeries = 2,         // tenant, fp, labels
  kEntries = 3,        // tenant, codec, per stream: fp, first sequence, entries
  kFlushed = 4,        // tenant, fp, through sequence, chunk key
};

inline constexpr uint8_t kCodecRaw = 0;
inline constexpr uint8_t kCodecZstd = 1;
// Entry payloads smaller than this are not worth compressing.
inline constexpr size_t kMinCompressBytes = 512;
// Upper bound on a decompressed entries payload (a push body is limited far below this).
inline constexpr uint64_t kMaxRecordBytes = uint64_t{256} << 20;

}  // namespace sluice::chunks::wal
