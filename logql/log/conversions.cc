// Go-compatible conversions of label values (strconv, time, go-humanize) and their texts.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/labels.h"
#include "common/time_util.h"
#include "logql/log/label_filter.h"
#include "logql/log/labels_builder.h"
#include "logql/log/unwrap.h"

namespace sluice::logql::log {
namespace {

std::string Quoted(std::string_view s) {
  std::string q;
  AppendQuoted(s, &q);
  return q;
}

bool EqualsFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

Result<double> ParseLabelFloat(std::string_view s) {
  auto fail = [&](std::string_view why) {
    return InvalidArgumentError("strconv.ParseFloat: parsing " + Quoted(s) + ": " +
                                std::string(why));
  };
  std::string_view t = s;
  bool neg = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (EqualsFold(t, "inf") || EqualsFold(t, "infinity"))
    return neg ? -HUGE_VAL : HUGE_VAL;
  if (EqualsFold(t, "nan"))
    return std::nan("");
  if (t.empty() || !((t[0] >= '0' && t[0] <= '9') || t[0] == '.'))
    return fail("invalid syntax");
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc::result_out_of_range)
    return fail("value out of range");
  if (ec != std::errc() || p != t.data() + t.size())
    return fail("invalid syntax");
  return neg ? -v : v;
}

Result<int64_t> ParseLabelDuration(std::string_view s) {
  auto r = ParseGoDuration(s);
  if (r.ok())
    return r;
  std::string_view t = s;
  if (!t.empty() && (t[0] == '+' || t[0] == '-'))
    t.remove_prefix(1);
  size_t i = 0;
  while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.'))
    ++i;
  if (i > 0 && i == t.size()) {
    return InvalidArgumentError("time: missing unit in duration " + Quoted(s));
  }
  if (i > 0) {
    size_t j = i;
    while (j < t.size() && !((t[j] >= '0' && t[j] <= '9') || t[j] == '.'))
      ++j;
    std::string_view unit = t.substr(i, j - i);
    if (unit != "ns" && unit != "us" && unit != "\xc2\xb5s" && unit != "\xce\xbcs" &&
        unit != "ms" && unit != "s" && unit != "m" && unit != "h") {
      return InvalidArgumentError("time: unknown unit " + Quoted(unit) + " in duration " +
                                  Quoted(s));
    }
  }
  return InvalidArgumentError("time: invalid duration " + Quoted(s));
}

Result<uint64_t> ParseHumanBytes(std::string_view s) {
  size_t last = 0;
  bool comma = false;
  while (last < s.size() &&
         ((s[last] >= '0' && s[last] <= '9') || s[last] == '.' || s[last] == ',')) {
    comma |= s[last] == ',';
    ++last;
  }
  std::string num(s.substr(0, last));
  if (comma)
    std::erase(num, ',');
  SLUICE_ASSIGN_OR_RETURN(double f, ParseLabelFloat(num));
  std::string_view extra = s.substr(last);
  while (!extra.empty() && std::isspace(static_cast<unsigned char>(extra.front())))
    extra.remove_prefix(1);
  while (!extra.empty() && std::isspace(static_cast<unsigned char>(extra.back())))
    extra.remove_suffix(1);
  std::string unit;
  for (char c : extra)
    unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));

  static constexpr struct {
    const char* name;
    double mult;
  } kTable[] = {
      {"", 1},
      {"b", 1},
      {"k", 1e3},
      {"kb", 1e3},
      {"ki", 1024.0},
      {"kib", 1024.0},
      {"m", 1e6},
      {"mb", 1e6},
      {"mi", 1048576.0},
      {"mib", 1048576.0},
      {"g", 1e9},
      {"gb", 1e9},
      {"gi", 1073741824.0},
      {"gib", 1073741824.0},
      {"t", 1e12},
      {"tb", 1e12},
      {"ti", 1099511627776.0},
      {"tib", 1099511627776.0},
      {"p", 1e15},
      {"pb", 1e15},
      {"pi", 1125899906842624.0},
      {"pib", 1125899906842624.0},
      {"e", 1e18},
      {"eb", 1e18},
      {"ei", 1152921504606846976.0},
      {"eib", 1152921504606846976.0},
  };

  for (const auto& e : kTable) {
    if (unit == e.name) {
      f *= e.mult;
      if (f >= 18446744073709551615.0)
        return InvalidArgumentError("too large: " + std::string(s));
      return static_cast<uint64_t>(f);
    }
  }
  return InvalidArgumentError("unhandled size name: " + unit);
}

std::string FormatGoDuration(int64_t d) {
  if (d == 0)
    return "0s";
  bool neg = d < 0;
  uint64_t u = neg ? static_cast<uint64_t>(-(d + 1)) + 1 : static_cast<uint64_t>(d);
  // Fraction of v over 10^prec, trailing zeros trimmed: ".5" or "".
  auto frac = [](uint64_t v, int prec, uint64_t* rest) {
    std::string digits;
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      int digit = static_cast<int>(v % 10);
      print = print || digit != 0;
      if (print)
        digits.insert(digits.begin(), static_cast<char>('0' + digit));
      v /= 10;
    }
    *rest = v;
    return print ? "." + digits : std::string();
  };
  std::string out;
  uint64_t rest = 0;
  if (u < 1000000000ULL) {
    if (u < 1000) {
      out = std::to_string(u) + "ns";
    } else if (u < 1000000) {
      std::string f = frac(u, 3, &rest);
      out = std::to_string(rest) + f + "\xc2\xb5s";
    } else {
      std::string f = frac(u, 6, &rest);
      out = std::to_string(rest) + f + "ms";
    }
  } else {
    std::string f = frac(u, 9, &rest);
    uint64_t secs = rest;
    out = std::to_string(secs % 60) + f + "s";
    uint64_t mins = secs / 60;
    if (mins > 0) {
      out = std::to_string(mins % 60) + "m" + out;
      uint64_t hours = mins / 60;
      if (hours > 0)
        out = std::to_string(hours) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

std::string FormatHumanBytes(uint64_t v) {
  static constexpr const char* kSizes[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  char buf[64];
  if (v < 10) {
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(v));
    return buf;
  }
  double e = std::floor(std::log(static_cast<double>(v)) / std::log(1000.0));
  double val = std::floor(static_cast<double>(v) / std::pow(1000.0, e) * 10 + 0.5) / 10;
  std::snprintf(buf, sizeof(buf), val < 10 ? "%.1f %s" : "%.0f %s", val,
                kSizes[static_cast<int>(e)]);
  return buf;
}

std::string_view UnwrapConversionName(UnwrapConversion c) {
  switch (c) {
    case UnwrapConversion::kNone:
      return "";
    case UnwrapConversion::kDuration:
      return "duration";
    case UnwrapConversion::kDurationSeconds:
      return "duration_seconds";
    case UnwrapConversion::kBytes:
      return "bytes";
  }
  return "";
}

bool UnwrapExtractor::Extract(LabelsBuilder* lb, double* value) const {
  std::string_view s = lb->GetOrEmpty(label_);
  if (s.empty())
    return false;
  Status err;
  *value = 0;
  switch (conversion_) {
    case UnwrapConversion::kNone: {
      auto r = ParseLabelFloat(s);
      if (r.ok())
        *value = *r;
      else
        err = r.status();
      break;
    }
    case UnwrapConversion::kDuration:
    case UnwrapConversion::kDurationSeconds: {
      auto r = ParseLabelDuration(s);
      if (r.ok())
        *value = static_cast<double>(*r) / 1e9;
      else
        err = r.status();
      break;
    }
    case UnwrapConversion::kBytes: {
      auto r = ParseHumanBytes(s);
      if (r.ok())
        *value = static_cast<double>(*r);
      else
        err = r.status();
      break;
    }
  }
  if (!err.ok())
    lb->SetError(kSampleExtractionErr, err.message());
  return true;
}

}  // namespace sluice::logql::log
