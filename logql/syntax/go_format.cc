#include "logql/syntax/go_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "logql/syntax/printer.h"
#include "logql/syntax/unicode_util.h"

namespace sluice::logql::syntax {

namespace {

std::optional<std::string> SpecialFloat(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  return std::nullopt;
}

// Go's fmtFrac: the fraction of v / 10^prec without trailing zeros (and no '.' when zero).
std::string FracAndInt(uint64_t* v, int prec) {
  std::string frac;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    int digit = static_cast<int>(*v % 10);
    print = print || digit != 0;
    if (print)
      frac.insert(frac.begin(), static_cast<char>('0' + digit));
    *v /= 10;
  }
  if (print)
    frac.insert(frac.begin(), '.');
  return frac;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    size_t len;
    int32_t r = DecodeRune(s, i, &len);
    if (r == kInvalidRune) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      i += 1;
      continue;
    }
    i += len;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (IsPrintRune(r)) {
      AppendRune(r, &out);
    } else {
      switch (r) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default: {
          char buf[16];
          if (r < ' ' || r == 0x7F) {
            std::snprintf(buf, sizeof(buf), "\\x%02x", r);
          } else if (r < 0x10000) {
            std::snprintf(buf, sizeof(buf), "\\u%04x", r);
          } else {
            std::snprintf(buf, sizeof(buf), "\\U%08x", r);
          }
          out += buf;
        }
      }
    }
  }
  out.push_back('"');
  return out;
}

std::string FormatFloat(double v) {
  if (auto s = SpecialFloat(v))
    return *s;
  char buf[400];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  if (ec != std::errc())
    return "0";
  return std::string(buf, p);
}

std::string FormatGoFloatV(double v) {
  if (auto s = SpecialFloat(v))
    return *s;
  if (v == 0)
    return std::signbit(v) ? "-0" : "0";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  if (ec != std::errc())
    return "0";
  std::string sci(buf, p);
  int exp = std::atoi(sci.c_str() + sci.find('e') + 1);
  if (exp < -4 || exp >= 6)
    return sci;
  return FormatFloat(v);
}

std::string FormatGoDuration(int64_t ns) {
  if (ns == 0)
    return "0s";
  bool neg = ns < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string out;
  if (u < 1'000'000'000ULL) {
    int prec;
    std::string unit;
    if (u < 1000) {
      prec = 0, unit = "ns";
    } else if (u < 1'000'000) {
      prec = 3, unit = "\xc2\xb5s";
    } else {
      prec = 6, unit = "ms";
    }
    std::string frac = FracAndInt(&u, prec);
    out = std::to_string(u) + frac + unit;
  } else {
    std::string frac = FracAndInt(&u, 9);
    out = std::to_string(u % 60) + frac + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0)
        out = std::to_string(u) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

std::string FormatPromDurationNs(int64_t ns) {
  int64_t ms = ns / 1'000'000;
  if (ms == 0)
    return "0s";
  std::string out;
  auto unit = [&](const char* name, int64_t mult, bool exact) {
    if (exact && ms % mult != 0)
      return;
    int64_t v = ms / mult;
    if (v > 0) {
      out += std::to_string(v) + name;
      ms -= v * mult;
    }
  };
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  unit("y", 365 * kDay, true);
  unit("w", 7 * kDay, true);
  unit("d", kDay, false);
  unit("h", 3600 * 1000, false);
  unit("m", 60 * 1000, false);
  unit("s", 1000, false);
  unit("ms", 1, false);
  return out;
}

std::string FormatHumanBytes(uint64_t v) {
  static constexpr const char* kSizes[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  if (v < 10)
    return std::to_string(v) + "B";
  double f = static_cast<double>(v);
  int e = static_cast<int>(std::floor(std::log(f) / std::log(1000.0)));
  double val = std::floor(f / std::pow(1000.0, e) * 10 + 0.5) / 10;
  char buf[64];
  std::snprintf(buf, sizeof(buf), val < 10 ? "%.1f%s" : "%.0f%s", val, kSizes[e]);
  return buf;
}

}  // namespace sluice::logql::syntax
