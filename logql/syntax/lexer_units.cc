// Duration and byte-size parsing for the LogQL lexer (declared in lexer.h): Prometheus
// durations for `[range]`, go-humanize byte sizes for BYTES tokens.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "logql/syntax/lexer.h"

namespace sluice::logql::syntax {

namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

struct PromUnit {
  std::string_view name;
  uint64_t mult;
  int pos;  // units must appear in increasing pos order (largest first)
};

constexpr uint64_t kMs = 1'000'000;
constexpr PromUnit kPromUnits[] = {
    {"y", 365ULL * 24 * 3600 * 1000 * kMs, 1},
    {"w", 7ULL * 24 * 3600 * 1000 * kMs, 2},
    {"d", 24ULL * 3600 * 1000 * kMs, 3},
    {"h", 3600ULL * 1000 * kMs, 4},
    {"m", 60ULL * 1000 * kMs, 5},
    {"s", 1000ULL * kMs, 6},
    {"ms", kMs, 7},
};

std::string GoQuoteSimple(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

bool ParsePrometheusDuration(std::string_view s, int64_t* ns, std::string* error) {
  if (s == "0") {
    *ns = 0;
    return true;
  }
  if (s.empty()) {
    *error = "empty duration string";
    return false;
  }
  const std::string_view orig = s;
  auto invalid = [&] {
    *error = "not a valid duration string: " + GoQuoteSimple(orig);
    return false;
  };
  uint64_t total = 0;
  int last_pos = 0;
  while (!s.empty()) {
    if (!IsDigit(s[0]))
      return invalid();
    size_t i = 0;
    while (i < s.size() && IsDigit(s[i]))
      ++i;
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + i, v);
    if (ec != std::errc() || p != s.data() + i)
      return invalid();
    s.remove_prefix(i);
    size_t j = 0;
    while (j < s.size() && !IsDigit(s[j]))
      ++j;
    if (j == 0)
      return invalid();
    std::string_view unit = s.substr(0, j);
    s.remove_prefix(j);
    const PromUnit* u = nullptr;
    for (const PromUnit& cand : kPromUnits) {
      if (cand.name == unit)
        u = &cand;
    }
    if (u == nullptr) {
      *error = "unknown unit " + GoQuoteSimple(unit) + " in duration " + GoQuoteSimple(orig);
      return false;
    }
    if (u->pos <= last_pos)
      return invalid();
    last_pos = u->pos;
    if (v > (1ULL << 63) / u->mult) {
      *error = "duration out of range";
      return false;
    }
    total += v * u->mult;
    if (total > static_cast<uint64_t>(INT64_MAX)) {
      *error = "duration out of range";
      return false;
    }
  }
  *ns = static_cast<int64_t>(total);
  return true;
}

bool ParseHumanBytes(std::string_view s, uint64_t* out) {
  size_t digits = 0;
  std::string num;
  while (digits < s.size() && (IsDigit(s[digits]) || s[digits] == '.' || s[digits] == ',')) {
    if (s[digits] != ',')
      num.push_back(s[digits]);
    ++digits;
  }
  if (num.empty())
    return false;
  double f = 0;
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), f);
  if (ec != std::errc() || p != num.data() + num.size())
    return false;
  std::string_view rest = s.substr(digits);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) {
    rest.remove_prefix(1);
  }
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) {
    rest.remove_suffix(1);
  }
  std::string unit;
  for (char c : rest)
    unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));

  static constexpr struct {
    std::string_view name;
    double mult;
  } kUnits[] = {
      {"", 1},         {"b", 1},        {"k", 1e3},      {"kb", 1e3},     {"ki", 0x1p10},
      {"kib", 0x1p10}, {"m", 1e6},      {"mb", 1e6},     {"mi", 0x1p20},  {"mib", 0x1p20},
      {"g", 1e9},      {"gb", 1e9},     {"gi", 0x1p30},  {"gib", 0x1p30}, {"t", 1e12},
      {"tb", 1e12},    {"ti", 0x1p40},  {"tib", 0x1p40}, {"p", 1e15},     {"pb", 1e15},
      {"pi", 0x1p50},  {"pib", 0x1p50}, {"e", 1e18},     {"eb", 1e18},    {"ei", 0x1p60},
      {"eib", 0x1p60},
  };

  for (const auto& u : kUnits) {
    if (u.name == unit) {
      double v = f * u.mult;
      if (!(v < 18446744073709551616.0))
        return false;  // too large for uint64
      *out = static_cast<uint64_t>(v);
      return true;
    }
  }
  return false;
}

}  // namespace sluice::logql::syntax
