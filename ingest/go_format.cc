#include "ingest/go_format.h"

#include <cstdio>

namespace sluice::ingest {

namespace {

constexpr int64_t kNanos = 1'000'000'000;

struct Civil {
  int64_t year;
  int month, day, hour, minute, second;
  int64_t nanos;
};

// Howard Hinnant's days-to-civil, for any int64 day count.
Civil ToCivil(int64_t unix_ns) {
  int64_t secs = unix_ns / kNanos;
  int64_t nanos = unix_ns % kNanos;
  if (nanos < 0) {
    nanos += kNanos;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2)
    ++y;
  return Civil{y,
               static_cast<int>(m),
               static_cast<int>(d),
               static_cast<int>(rem / 3600),
               static_cast<int>(rem / 60 % 60),
               static_cast<int>(rem % 60),
               nanos};
}

std::string FormatDateTime(const Civil& c, char sep) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02d%c%02d:%02d:%02d",
                static_cast<long long>(c.year), c.month, c.day, sep, c.hour, c.minute, c.second);
  return buf;
}

}  // namespace

Result<int64_t> GoParseInt64(std::string_view s) {
  auto error = [&](std::string_view why) {
    return InvalidArgumentError("error reading entry timestamp: strconv.ParseInt: parsing \"" +
                                std::string(s) + "\": " + std::string(why));
  };
  size_t i = 0;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size())
    return error("invalid syntax");
  uint64_t limit = negative ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1;
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9')
      return error("invalid syntax");
    if (!overflow) {
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (v > (limit - d) / 10) {
        overflow = true;
      } else {
        v = v * 10 + d;
      }
    }
  }
  if (overflow)
    return error("value out of range");
  return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

std::string FormatGoRFC3339(int64_t unix_ns) {
  return FormatDateTime(ToCivil(unix_ns), 'T') + "Z";
}

std::string FormatGoTimeString(int64_t unix_ns) {
  Civil c = ToCivil(unix_ns);
  std::string out = FormatDateTime(c, ' ');
  if (c.nanos != 0) {
    char frac[16];
    std::snprintf(frac, sizeof(frac), ".%09lld", static_cast<long long>(c.nanos));
    std::string f = frac;
    while (f.back() == '0')
      f.pop_back();
    out += f;
  }
  out += " +0000 UTC";
  return out;
}

}  // namespace sluice::ingest
