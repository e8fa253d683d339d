// Key and value encodings of the index's LevelDB database (spec: index/FORMAT.md).
// Every key but the metadata keys is `type byte | tenant | ...`; strings are escaped so that
// byte order is preserved and no encoded string is a prefix of another (0x00 -> 0x00 0xFF,
// terminated by 0x00 0x01); integers are big-endian, signed ones with the sign bit flipped, so
// LevelDB's bytewise order is numeric order.
// All functions are pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/labels.h"
#include "common/result.h"

namespace sluice::index::keys {

inline constexpr int kFormatVersion = 1;

// Metadata keys (values are decimal numbers).
inline constexpr std::string_view kVersionKey{"\x00version", 8};
inline constexpr std::string_view kBucketKey{"\x00counter_bucket_ns", 18};
inline constexpr std::string_view kWatermarkKey{"\x00watermark", 10};
inline constexpr std::string_view kMaxChunkSpanKey{"\x00max_chunk_span_ns", 18};

// Key types (first byte).
inline constexpr char kStream = 'S';     // S t fp                      -> labels
inline constexpr char kDayStream = 'D';  // D t day fp                  -> ""
inline constexpr char kDayName = 'N';    // N t day name                -> ""
inline constexpr char kDayValue = 'V';   // V t day name value          -> ""
inline constexpr char kPosting = 'P';    // P t day name value fp       -> ""
inline constexpr char kCounter = 'C';    // C t day fp                  -> slot counts
inline constexpr char kChunk = 'K';      // K t fp through from key     -> entries, bytes

inline constexpr int64_t kNanosPerDay = 86400LL * 1000 * 1000 * 1000;

// Floor division (correct for negative timestamps too).
int64_t FloorDiv(int64_t a, int64_t b);

inline int64_t DayOf(int64_t ts_ns) {
  return FloorDiv(ts_ns, kNanosPerDay);
}

void AppendString(std::string* dst, std::string_view s);
void AppendUint64(std::string* dst, uint64_t v);
void AppendInt64(std::string* dst, int64_t v);
// Each Consume* parses from the front of *in; false when malformed.
bool ConsumeString(std::string_view* in, std::string* out);
bool ConsumeUint64(std::string_view* in, uint64_t* v);
bool ConsumeInt64(std::string_view* in, int64_t* v);

// `type | tenant`: the prefix of every key of one type and tenant.
std::string TenantPrefix(char type, std::string_view tenant);

// Stream label sets (value of S keys): varint count, then length-prefixed name and value.
std::string EncodeLabels(const Labels& labels);
Result<Labels> DecodeLabels(std::string_view value);

// Counter / chunk values: varint64 entries, varint64 bytes.
std::string EncodeCounts(uint64_t entries, uint64_t bytes);
bool DecodeCounts(std::string_view value, uint64_t* entries, uint64_t* bytes);

// One counter bucket of a day record: bucket `slot` of the day (0 .. day/bucket - 1).
struct SlotCounts {
  uint32_t slot = 0;
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

// Counter values (C keys): varint count, then per slot (ascending) varint slot, entries, bytes.
std::string EncodeSlots(const std::vector<SlotCounts>& slots);
bool DecodeSlots(std::string_view value, std::vector<SlotCounts>* slots);

// The smallest key greater than every key that starts with `prefix` followed by exactly
// `suffix_len` more bytes (used to skip past all fingerprints of one posting value).
std::string SkipPast(std::string_view prefix, size_t suffix_len);

}  // namespace sluice::index::keys
