// timestamp stage: Promtail's named formats and Go reference-time layouts.
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

#include "agent/stages.h"
#include "common/time_util.h"

namespace sluice::agent {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string_view NamedLayout(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kLayouts[] = {
      {"ANSIC", "Mon Jan _2 15:04:05 2006"},
      {"UnixDate", "Mon Jan _2 15:04:05 MST 2006"},
      {"RubyDate", "Mon Jan 02 15:04:05 -0700 2006"},
      {"RFC822", "02 Jan 06 15:04 MST"},
      {"RFC822Z", "02 Jan 06 15:04 -0700"},
      {"RFC850", "Monday, 02-Jan-06 15:04:05 MST"},
      {"RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"},
      {"RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"},
      {"Kitchen", "3:04PM"},
      {"Stamp", "Jan _2 15:04:05"},
      {"StampMilli", "Jan _2 15:04:05.000"},
      {"StampMicro", "Jan _2 15:04:05.000000"},
      {"StampNano", "Jan _2 15:04:05.000000000"},
  };
  for (const auto& [n, layout] : kLayouts) {
    if (n == name)
      return layout;
  }
  return name;
}

const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

class LayoutParser {
 public:
  LayoutParser(std::string_view layout, std::string_view value) : l_(layout), v_(value) {}

  Result<int64_t> Parse(int64_t location_offset_ns) {
    while (li_ < l_.size()) {
      if (!Step()) {
        return InvalidArgumentError("timestamp `" + std::string(v_) + "` does not match layout `" +
                                    std::string(l_) + "`");
      }
    }
    if (vi_ != v_.size())
      return InvalidArgumentError("trailing text in timestamp");
    if (year_ < 0) {
      std::time_t now = std::time(nullptr);
      std::tm tm{};
      gmtime_r(&now, &tm);
      year_ = tm.tm_year + 1900;
    }
    if (pm_ == 1 && hour_ < 12)
      hour_ += 12;
    if (pm_ == 0 && hour_ == 12)
      hour_ = 0;
    if (month_ < 1 || month_ > 12 || day_ < 1 || day_ > 31 || hour_ > 23 || min_ > 59 ||
        sec_ > 60) {
      return InvalidArgumentError("timestamp field out of range");
    }
    int64_t secs =
        DaysFromCivil(year_, static_cast<unsigned>(month_), static_cast<unsigned>(day_)) * 86400 +
        hour_ * 3600 + min_ * 60 + sec_;
    int64_t ns = secs * kNanosPerSecond + nanos_;
    ns -= has_zone_ ? zone_offset_s_ * kNanosPerSecond : location_offset_ns;
    return ns;
  }

 private:
  bool LayoutHas(std::string_view token) const { return l_.substr(li_, token.size()) == token; }

  bool Number(int min_digits, int max_digits, int* out) {
    if (vi_ < v_.size() && v_[vi_] == ' ' && min_digits == 0)
      ++vi_;
    int n = 0;
    int digits = 0;
    while (vi_ < v_.size() && digits < max_digits &&
           std::isdigit(static_cast<unsigned char>(v_[vi_]))) {
      n = n * 10 + (v_[vi_++] - '0');
      ++digits;
    }
    *out = n;
    return digits >= std::max(min_digits, 1);
  }

  bool Letters() {
    size_t start = vi_;
    while (vi_ < v_.size() && std::isalpha(static_cast<unsigned char>(v_[vi_])))
      ++vi_;
    return vi_ > start;
  }

  bool Zone(bool colon, bool z_ok) {
    if (z_ok && vi_ < v_.size() && v_[vi_] == 'Z') {
      ++vi_;
      has_zone_ = true;
      return true;
    }
    if (vi_ >= v_.size() || (v_[vi_] != '+' && v_[vi_] != '-'))
      return false;
    int sign = v_[vi_++] == '-' ? -1 : 1;
    int h = 0, m = 0;
    if (!Number(2, 2, &h))
      return false;
    if (colon && (vi_ >= v_.size() || v_[vi_++] != ':'))
      return false;
    if (!Number(2, 2, &m))
      return false;
    zone_offset_s_ = sign * (h * 3600 + m * 60);
    has_zone_ = true;
    return true;
  }

  bool Fraction(size_t layout_digits, bool optional) {
    li_ += 1 + layout_digits;
    if (vi_ >= v_.size() || (v_[vi_] != '.' && v_[vi_] != ','))
      return optional;
    ++vi_;
    int64_t n = 0;
    int digits = 0;
    while (vi_ < v_.size() && std::isdigit(static_cast<unsigned char>(v_[vi_]))) {
      if (digits < 9) {
        n = n * 10 + (v_[vi_] - '0');
        ++digits;
      }
      ++vi_;
    }
    if (digits == 0)
      return false;
    while (digits++ < 9)
      n *= 10;
    nanos_ = n;
    return true;
  }

  bool Step() {
    auto take = [&](std::string_view t) {
      li_ += t.size();
      return true;
    };
    if (LayoutHas("2006"))
      return take("2006") && Number(4, 4, &year_);
    if (LayoutHas("January") || LayoutHas("Monday")) {
      bool month = LayoutHas("January");
      li_ += month ? 7 : 6;
      size_t start = vi_;
      if (!Letters())
        return false;
      if (!month)
        return true;
      for (int i = 0; i < 12; ++i) {
        if (v_.substr(start, 3) == kMonths[i])
          month_ = i + 1;
      }
      return month_ > 0;
    }
    if (LayoutHas("Jan")) {
      li_ += 3;
      for (int i = 0; i < 12; ++i) {
        if (v_.substr(vi_, 3) == kMonths[i]) {
          month_ = i + 1;
          vi_ += 3;
          return true;
        }
      }
      return false;
    }
    if (LayoutHas("Mon"))
      return take("Mon") && Letters();
    if (LayoutHas("MST")) {
      li_ += 3;
      if (!Letters())
        return false;
      has_zone_ = true;  // only UTC-like abbreviations are understood
      return true;
    }
    if (LayoutHas("Z07:00"))
      return take("Z07:00") && Zone(true, true);
    if (LayoutHas("Z0700"))
      return take("Z0700") && Zone(false, true);
    if (LayoutHas("-07:00"))
      return take("-07:00") && Zone(true, false);
    if (LayoutHas("-0700"))
      return take("-0700") && Zone(false, false);
    if (LayoutHas("01"))
      return take("01") && Number(2, 2, &month_);
    if (LayoutHas("02"))
      return take("02") && Number(2, 2, &day_);
    if (LayoutHas("_2"))
      return take("_2") && Number(0, 2, &day_);
    if (LayoutHas("06")) {
      li_ += 2;
      int y = 0;
      if (!Number(2, 2, &y))
        return false;
      year_ = y >= 69 ? 1900 + y : 2000 + y;
      return true;
    }
    if (LayoutHas("15"))
      return take("15") && Number(2, 2, &hour_);
    if (LayoutHas("03"))
      return take("03") && Number(2, 2, &hour_);
    if (LayoutHas("04"))
      return take("04") && Number(2, 2, &min_);
    if (LayoutHas("05"))
      return take("05") && Number(2, 2, &sec_);
    if (LayoutHas("PM") || LayoutHas("pm")) {
      li_ += 2;
      std::string_view ap = v_.substr(vi_, 2);
      vi_ += 2;
      if (ap == "PM" || ap == "pm") {
        pm_ = 1;
      } else if (ap == "AM" || ap == "am") {
        pm_ = 0;
      } else {
        return false;
      }
      return true;
    }
    if ((l_[li_] == '.' || l_[li_] == ',') && li_ + 1 < l_.size() &&
        (l_[li_ + 1] == '0' || l_[li_ + 1] == '9')) {
      char digit = l_[li_ + 1];
      size_t n = 0;
      while (li_ + 1 + n < l_.size() && l_[li_ + 1 + n] == digit)
        ++n;
      return Fraction(n, digit == '9');
    }
    if (LayoutHas("1"))
      return take("1") && Number(1, 2, &month_);
    if (LayoutHas("2"))
      return take("2") && Number(1, 2, &day_);
    if (LayoutHas("3"))
      return take("3") && Number(1, 2, &hour_);
    if (LayoutHas("4"))
      return take("4") && Number(1, 2, &min_);
    if (LayoutHas("5"))
      return take("5") && Number(1, 2, &sec_);
    if (vi_ < v_.size() && v_[vi_] == l_[li_]) {
      ++vi_;
      ++li_;
      return true;
    }
    return false;
  }

  std::string_view l_, v_;
  size_t li_ = 0, vi_ = 0;
  int year_ = -1, month_ = 1, day_ = 1, hour_ = 0, min_ = 0, sec_ = 0, pm_ = -1;
  int64_t nanos_ = 0;
  bool has_zone_ = false;
  int zone_offset_s_ = 0;
};

Result<int64_t> ParseUnixScaled(std::string_view v, int64_t unit_ns) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return InvalidArgumentError("not an integer timestamp: " + std::string(v));
  }
  if (unit_ns > 1 && (n > INT64_MAX / unit_ns || n < INT64_MIN / unit_ns)) {
    return InvalidArgumentError("timestamp out of range");
  }
  return n * unit_ns;
}

class TimestampStage final : public Stage {
 public:
  explicit TimestampStage(TimestampSpec spec) : spec_(std::move(spec)) {}

  void Process(PipelineEntry* e) override {
    auto it = e->extracted.find(spec_.source);
    if (it == e->extracted.end())
      return;
    Result<int64_t> ts =
        ParseTimestampWithFormat(it->second, spec_.format, spec_.location_offset_ns);
    for (size_t i = 0; !ts.ok() && i < spec_.fallback_formats.size(); ++i) {
      ts =
          ParseTimestampWithFormat(it->second, spec_.fallback_formats[i], spec_.location_offset_ns);
    }
    if (ts.ok())
      e->ts_ns = *ts;
    // On failure both actions keep the entry; `fudge` and `skip` keep the time it has.
  }

 private:
  TimestampSpec spec_;
};

}  // namespace

Result<int64_t> ParseTimestampWithFormat(std::string_view value, std::string_view format,
                                         int64_t location_offset_ns) {
  if (format == "RFC3339" || format == "RFC3339Nano")
    return ParseRFC3339(value);
  if (format == "Unix") {
    // Seconds with an optional fraction, parsed as integers (a double loses nanoseconds).
    size_t dot = value.find('.');
    SLUICE_ASSIGN_OR_RETURN(int64_t secs, ParseUnixScaled(value.substr(0, dot), kNanosPerSecond));
    if (dot == std::string_view::npos)
      return secs;
    std::string_view frac = value.substr(dot + 1);
    int64_t nanos = 0;
    int digits = 0;
    for (char c : frac) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        return InvalidArgumentError("not a Unix timestamp: " + std::string(value));
      }
      if (digits++ < 9)
        nanos = nanos * 10 + (c - '0');
    }
    for (; digits < 9; ++digits)
      nanos *= 10;
    return secs < 0 || value.front() == '-' ? secs - nanos : secs + nanos;
  }
  if (format == "UnixMs")
    return ParseUnixScaled(value, kNanosPerMilli);
  if (format == "UnixUs")
    return ParseUnixScaled(value, 1000);
  if (format == "UnixNs")
    return ParseUnixScaled(value, 1);
  return LayoutParser(NamedLayout(format), value).Parse(location_offset_ns);
}

Result<std::unique_ptr<Stage>> NewTimestampStage(TimestampSpec spec) {
  if (spec.source.empty())
    return InvalidArgumentError("timestamp stage needs `source`");
  if (spec.format.empty())
    return InvalidArgumentError("timestamp stage needs `format`");
  return std::unique_ptr<Stage>(std::make_unique<TimestampStage>(std::move(spec)));
}

}  // namespace sluice::agent
