#include "common/time_util.h"

#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace sluice {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm; valid for the proleptic Gregorian calendar.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Largest whole number of seconds whose nanosecond count fits in int64 (year 2262).
constexpr int64_t kMaxSeconds = INT64_MAX / kNanosPerSecond - 1;

Status BadTime(std::string_view s) {
  return InvalidArgumentError("cannot parse \"" + std::string(s) + "\" to a valid timestamp");
}

Status BadDuration(std::string_view s) {
  return InvalidArgumentError("cannot parse \"" + std::string(s) + "\" to a valid duration");
}

}  // namespace

Result<int64_t> ParseRFC3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  auto num = [&](size_t pos, size_t len, int* out) {
    if (pos + len > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int Y, M, D, h, m, sec;
  if (s.size() < 20 || !num(0, 4, &Y) || s[4] != '-' || !num(5, 2, &M) || s[7] != '-' ||
      !num(8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !num(11, 2, &h) ||
      s[13] != ':' || !num(14, 2, &m) || s[16] != ':' || !num(17, 2, &sec)) {
    return BadTime(s);
  }
  if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return BadTime(s);
  size_t pos = 19;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        frac = frac * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return BadTime(s);
    while (digits++ < 9) frac *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!num(pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !num(pos + 4, 2, &om)) {
      return BadTime(s);
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return BadTime(s);
  }
  if (pos != s.size()) return BadTime(s);
  int64_t secs = DaysFromCivil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec - offset;
  if (secs > kMaxSeconds || secs < -kMaxSeconds) return BadTime(s);  // beyond int64 ns (~2262)
  return secs * kNanosPerSecond + frac;
}

Result<int64_t> ParseLokiTime(std::string_view s) {
  if (s.empty()) return BadTime(s);
  std::string_view digits = s[0] == '-' ? s.substr(1) : s;
  if (AllDigits(digits)) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return BadTime(s);
    if (digits.size() <= 10) {
      if (v > kMaxSeconds || v < -kMaxSeconds) return BadTime(s);
      return v * kNanosPerSecond;
    }
    return v;
  }
  if (s.find('.') != std::string_view::npos && s.find('T') == std::string_view::npos) {
    // Float seconds: split integer and fraction to keep nanosecond precision.
    size_t dot = s.find('.');
    std::string_view ip = s.substr(0, dot), fp = s.substr(dot + 1);
    bool neg = !ip.empty() && ip[0] == '-';
    if (neg) ip.remove_prefix(1);
    if ((!ip.empty() && !AllDigits(ip)) || (!fp.empty() && !AllDigits(fp)) ||
        (ip.empty() && fp.empty())) {
      return BadTime(s);
    }
    int64_t sec = 0;
    if (!ip.empty()) {
      auto [p, ec] = std::from_chars(ip.data(), ip.data() + ip.size(), sec);
      if (ec != std::errc() || sec > kMaxSeconds) return BadTime(s);
    }
    int64_t frac = 0;
    int n = 0;
    for (char c : fp) {
      if (n == 9) break;
      frac = frac * 10 + (c - '0');
      ++n;
    }
    while (n++ < 9) frac *= 10;
    int64_t ns = sec * kNanosPerSecond + frac;
    return neg ? -ns : ns;
  }
  return ParseRFC3339(s);
}

Result<int64_t> ParsePromDuration(std::string_view s) {
  // Units must appear in decreasing order, each at most once: y w d h m s ms.
  static constexpr struct {
    std::string_view unit;
    int64_t ns;
  } kUnits[] = {{"y", 365LL * 24 * 3600 * kNanosPerSecond},
                {"w", 7LL * 24 * 3600 * kNanosPerSecond},
                {"d", 24LL * 3600 * kNanosPerSecond},
                {"h", 3600LL * kNanosPerSecond},
                {"m", 60LL * kNanosPerSecond},
                {"s", kNanosPerSecond},
                {"ms", kNanosPerMilli}};
  if (s.empty()) return BadDuration(s);
  if (s == "0") return 0;
  size_t pos = 0;
  int next_unit = 0;
  int64_t total = 0;
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return BadDuration(s);
    int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data() + start, s.data() + pos, n);
    if (ec != std::errc()) return BadDuration(s);
    size_t ustart = pos;
    while (pos < s.size() && !(s[pos] >= '0' && s[pos] <= '9')) ++pos;
    std::string_view unit = s.substr(ustart, pos - ustart);
    bool found = false;
    for (int i = next_unit; i < 7; ++i) {
      if (kUnits[i].unit == unit) {
        if (n > INT64_MAX / kUnits[i].ns) return BadDuration(s);
        total += n * kUnits[i].ns;
        next_unit = i + 1;
        found = true;
        break;
      }
    }
    if (!found) return BadDuration(s);
  }
  return total;
}

Result<int64_t> ParseGoDuration(std::string_view s) {
  std::string_view orig = s;
  if (s.empty()) return BadDuration(orig);
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return BadDuration(orig);
  double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == 0) return BadDuration(orig);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + i, v);
    if (ec != std::errc() || p != s.data() + i) return BadDuration(orig);
    s.remove_prefix(i);
    size_t j = 0;
    while (j < s.size() && !((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) ++j;
    std::string_view unit = s.substr(0, j);
    s.remove_prefix(j);
    double mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") mult = 1e3;
    else if (unit == "ms") mult = 1e6;
    else if (unit == "s") mult = 1e9;
    else if (unit == "m") mult = 60e9;
    else if (unit == "h") mult = 3600e9;
    else return BadDuration(orig);
    total += v * mult;
  }
  if (total > 9.2e18) return BadDuration(orig);
  int64_t ns = static_cast<int64_t>(std::llround(total));
  return neg ? -ns : ns;
}

Result<int64_t> ParseDurationOrSeconds(std::string_view s) {
  if (s.empty()) return BadDuration(s);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size()) {
    if (!std::isfinite(v) || std::fabs(v) > 9.2e9) return BadDuration(s);
    return static_cast<int64_t>(std::llround(v * 1e9));
  }
  if (auto r = ParseGoDuration(s); r.ok()) return r;
  return ParsePromDuration(s);
}

std::string FormatRFC3339Nano(int64_t ns) {
  int64_t secs = ns / kNanosPerSecond;
  int64_t frac = ns % kNanosPerSecond;
  if (frac < 0) {
    frac += kNanosPerSecond;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf, n);
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof(f), ".%09lld", static_cast<long long>(frac));
    std::string fs(f);
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  out += 'Z';
  return out;
}

std::string FormatPromDuration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string out;
  if (ns < 0) {
    out += '-';
    ns = -ns;
  }
  int64_t ms = ns / kNanosPerMilli;
  // As Prometheus' model.Duration: years and weeks only when they divide exactly.
  static constexpr struct {
    const char* unit;
    int64_t ms;
    bool exact;
  } kUnits[] = {{"y", 365LL * 24 * 3600 * 1000, true}, {"w", 7LL * 24 * 3600 * 1000, true},
                {"d", 24LL * 3600 * 1000, false},      {"h", 3600LL * 1000, false},
                {"m", 60LL * 1000, false},             {"s", 1000, false},
                {"ms", 1, false}};
  for (const auto& u : kUnits) {
    if (u.exact && ms % u.ms != 0) continue;
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms);
      out += u.unit;
      ms %= u.ms;
    }
  }
  if (out.empty() || out == "-") out += std::to_string(ns) + "ns";
  return out;
}

}  // namespace sluice
