// Time and duration parsing in the forms Loki accepts, and RFC 3339 formatting.
//   ParseLokiTime("1700000000")            -> 1700000000 s in ns (<= 10 digits: seconds)
//   ParseLokiTime("1700000000123456789")   -> ns (longer integers are nanoseconds)
//   ParseLokiTime("1700000000.5")          -> float seconds
//   ParseLokiTime("2023-11-14T22:13:20Z")  -> RFC 3339 (with optional fraction and offset)
//   ParsePromDuration("1h30m") / ("5m") / ("1d") / ("1w") / ("1y")  -> LogQL range durations
//   ParseGoDuration("1.5h") / ("300ms") / ("-2m")                    -> Go time.ParseDuration
//   ParseDurationOrSeconds("15") / ("15s") / ("0.5")                  -> `step`, `since`, ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosPerMilli = 1'000'000;

Result<int64_t> ParseLokiTime(std::string_view s);
Result<int64_t> ParseRFC3339(std::string_view s);
Result<int64_t> ParsePromDuration(std::string_view s);
Result<int64_t> ParseGoDuration(std::string_view s);
Result<int64_t> ParseDurationOrSeconds(std::string_view s);

// "2023-11-14T22:13:20.123456789Z" with trailing zeros of the fraction trimmed (Go's
// time.RFC3339Nano), UTC.
std::string FormatRFC3339Nano(int64_t ns);
// Prometheus-style duration ("1h30m", "5m", "250ms"), as LogQL prints ranges.
std::string FormatPromDuration(int64_t ns);

}  // namespace sluice
