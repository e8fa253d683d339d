// Go formatting and parsing rules that Loki's messages and parsers depend on, so Sluice's push
// errors read byte for byte as Loki's (times shown in UTC, as Loki running in UTC shows them).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::ingest {

// Go strconv.ParseInt(s, 10, 64): optional sign, decimal digits. Errors (InvalidArgument):
// `error reading entry timestamp: strconv.ParseInt: parsing "<s>": invalid syntax` /
// `... value out of range`.
Result<int64_t> GoParseInt64(std::string_view s);

// time.RFC3339 with seconds precision, UTC: "2024-05-29T16:26:40Z".
std::string FormatGoRFC3339(int64_t unix_ns);

// Go's time.Time.String() in UTC: "2024-05-29 16:26:40.5 +0000 UTC" (fraction only when
// non-zero, trailing zeros trimmed).
std::string FormatGoTimeString(int64_t unix_ns);

}  // namespace sluice::ingest
