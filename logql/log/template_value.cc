// TValue printing, truth, Go time layouts and a fmt.Sprintf subset.
#include "logql/log/template_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace sluice::logql::log {
namespace {

// strconv.FormatFloat(v, 'g', -1, 64) as fmt's %v prints a float64.
std::string FormatFloatV(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (v == 0)
    return std::signbit(v) ? "-0" : "0";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, p);  // d.ddde±XX
  size_t e = sci.find('e');
  int exp = std::stoi(sci.substr(e + 1));
  if (exp < -4 || exp >= 6) {  // shortest %g: Go uses precision 6 for this decision
    // Go: mantissa, 'e', sign, at least two exponent digits.
    std::string mant = sci.substr(0, e);
    char eb[16];
    std::snprintf(eb, sizeof(eb), "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return mant + eb;
  }
  auto [p2, ec2] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return std::string(buf, p2);
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yy + (*m <= 2));
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

}  // namespace

std::string_view TypeName(const TValue& v) {
  switch (v.type) {
    case TValue::Type::kNil:
      return "<nil>";
    case TValue::Type::kString:
      return "string";
    case TValue::Type::kInt:
      return "int";
    case TValue::Type::kFloat:
      return "float64";
    case TValue::Type::kBool:
      return "bool";
    case TValue::Type::kTime:
      return "time.Time";
    case TValue::Type::kList:
      return "[]interface {}";
    case TValue::Type::kMap:
      return "map[string]interface {}";
    case TValue::Type::kLabels:
      return "map[string]string";
  }
  return "?";
}

void AppendPrinted(const TValue& v, std::string* out) {
  switch (v.type) {
    case TValue::Type::kNil:
      out->append("<no value>");
      return;
    case TValue::Type::kString:
      out->append(v.s);
      return;
    case TValue::Type::kInt:
      out->append(std::to_string(v.i));
      return;
    case TValue::Type::kFloat:
      out->append(FormatFloatV(v.f));
      return;
    case TValue::Type::kBool:
      out->append(v.b ? "true" : "false");
      return;
    case TValue::Type::kTime:
      out->append(FormatGoTime(v.i, "2006-01-02 15:04:05.999999999 -0700 MST"));
      return;
    case TValue::Type::kList: {
      out->push_back('[');
      for (size_t k = 0; k < v.list->size(); ++k) {
        if (k)
          out->push_back(' ');
        AppendPrinted((*v.list)[k], out);
      }
      out->push_back(']');
      return;
    }
    case TValue::Type::kMap: {
      out->append("map[");
      bool first = true;
      for (const auto& [k, e] : *v.map) {
        if (!first)
          out->push_back(' ');
        first = false;
        out->append(k).push_back(':');
        AppendPrinted(e, out);
      }
      out->push_back(']');
      return;
    }
    case TValue::Type::kLabels:
      out->append("map[...]");
      return;
  }
}

std::string Printed(const TValue& v) {
  std::string s;
  AppendPrinted(v, &s);
  return s;
}

bool Truthy(const TValue& v) {
  switch (v.type) {
    case TValue::Type::kNil:
      return false;
    case TValue::Type::kString:
      return !v.s.empty();
    case TValue::Type::kInt:
      return v.i != 0;
    case TValue::Type::kFloat:
      return v.f != 0;
    case TValue::Type::kBool:
      return v.b;
    case TValue::Type::kTime:
      return true;
    case TValue::Type::kList:
      return !v.list->empty();
    case TValue::Type::kMap:
      return !v.map->empty();
    case TValue::Type::kLabels:
      return true;
  }
  return false;
}

std::string FormatGoTime(int64_t ns, std::string_view layout) {
  int64_t secs = ns / 1000000000, frac = ns % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y, mo, d;
  CivilFromDays(days, &y, &mo, &d);
  int hh = static_cast<int>(rem / 3600), mm = static_cast<int>(rem / 60 % 60),
      ss = static_cast<int>(rem % 60);
  int wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int yday = static_cast<int>(days - DaysFromCivil(y, 1, 1)) + 1;
  std::string out;
  char buf[32];
  auto put = [&](const char* fmt, int v) {
    std::snprintf(buf, sizeof(buf), fmt, v);
    out += buf;
  };
  size_t i = 0;
  auto starts = [&](std::string_view tok) { return layout.substr(i, tok.size()) == tok; };
  while (i < layout.size()) {
    if (starts("2006")) {
      put("%04d", y);
      i += 4;
    } else if (starts("January")) {
      out += kMonths[mo - 1];
      i += 7;
    } else if (starts("Jan")) {
      out += std::string(kMonths[mo - 1]).substr(0, 3);
      i += 3;
    } else if (starts("Monday")) {
      out += kDays[wday];
      i += 6;
    } else if (starts("Mon")) {
      out += std::string(kDays[wday]).substr(0, 3);
      i += 3;
    } else if (starts("MST")) {
      out += "UTC";
      i += 3;
    } else if (starts("Z07:00")) {
      out += "Z";
      i += 6;
    } else if (starts("Z0700")) {
      out += "Z";
      i += 5;
    } else if (starts("-07:00")) {
      out += "+00:00";
      i += 6;
    } else if (starts("-0700")) {
      out += "+0000";
      i += 5;
    } else if (starts("-07")) {
      out += "+00";
      i += 3;
    } else if (starts("002")) {
      put("%03d", yday);
      i += 3;
    } else if (starts("01")) {
      put("%02d", mo);
      i += 2;
    } else if (starts("02")) {
      put("%02d", d);
      i += 2;
    } else if (starts("_2")) {
      put("%2d", d);
      i += 2;
    } else if (starts("06")) {
      put("%02d", y % 100);
      i += 2;
    } else if (starts("15")) {
      put("%02d", hh);
      i += 2;
    } else if (starts("03")) {
      put("%02d", hh % 12 == 0 ? 12 : hh % 12);
      i += 2;
    } else if (starts("04")) {
      put("%02d", mm);
      i += 2;
    } else if (starts("05")) {
      put("%02d", ss);
      i += 2;
    } else if (starts("PM")) {
      out += hh >= 12 ? "PM" : "AM";
      i += 2;
    } else if (starts("pm")) {
      out += hh >= 12 ? "pm" : "am";
      i += 2;
    } else if ((starts(".0") || starts(".9") || starts(",0") || starts(",9"))) {
      char kind = layout[i + 1];
      size_t j = i + 1;
      while (j < layout.size() && layout[j] == kind)
        ++j;
      int n = static_cast<int>(j - i - 1);
      if (j < layout.size() && layout[j] >= '0' && layout[j] <= '9') {
        out += layout[i];
        ++i;
        continue;
      }
      std::snprintf(buf, sizeof(buf), "%09lld", static_cast<long long>(frac));
      std::string digits(buf, std::min(n, 9));
      if (kind == '9') {
        while (!digits.empty() && digits.back() == '0')
          digits.pop_back();
        if (!digits.empty())
          out += layout[i] + digits;
      } else {
        out += layout[i] + digits;
      }
      i = j;
    } else if (starts("1")) {
      put("%d", mo);
      i += 1;
    } else if (starts("2")) {
      put("%d", d);
      i += 1;
    } else if (starts("3")) {
      put("%d", hh % 12 == 0 ? 12 : hh % 12);
      i += 1;
    } else if (starts("4")) {
      put("%d", mm);
      i += 1;
    } else if (starts("5")) {
      put("%d", ss);
      i += 1;
    } else {
      out += layout[i];
      ++i;
    }
  }
  return out;
}

bool ParseGoTime(std::string_view layout, std::string_view v, int64_t* ns) {
  int y = 1, mo = 1, d = 1, hh = 0, mm = 0, ss = 0, pm = -1;
  int64_t frac = 0, offset = 0;
  size_t i = 0, p = 0;
  auto num = [&](int min_digits, int max_digits, int* out) {
    int n = 0, val = 0;
    if (p < v.size() && v[p] == ' ' && min_digits == 1 && max_digits == 2)
      ++p;
    while (p < v.size() && n < max_digits && v[p] >= '0' && v[p] <= '9') {
      val = val * 10 + (v[p++] - '0');
      ++n;
    }
    *out = val;
    return n >= min_digits;
  };
  auto starts = [&](std::string_view tok) { return layout.substr(i, tok.size()) == tok; };
  while (i < layout.size()) {
    bool ok = true;
    if (starts("2006")) {
      ok = num(4, 4, &y);
      i += 4;
    } else if (starts("January") || starts("Jan")) {
      bool full = starts("January");
      ok = false;
      for (int k = 0; k < 12 && !ok; ++k) {
        std::string_view name = kMonths[k];
        if (!full)
          name = name.substr(0, 3);
        if (v.substr(p, name.size()) == name) {
          mo = k + 1;
          p += name.size();
          ok = true;
        }
      }
      i += full ? 7 : 3;
    } else if (starts("Monday") || starts("Mon")) {
      bool full = starts("Monday");
      ok = false;
      for (int k = 0; k < 7 && !ok; ++k) {
        std::string_view name = kDays[k];
        if (!full)
          name = name.substr(0, 3);
        if (v.substr(p, name.size()) == name) {
          p += name.size();
          ok = true;
        }
      }
      i += full ? 6 : 3;
    } else if (starts("Z07:00") || starts("-07:00") || starts("-0700") || starts("Z0700")) {
      bool colon = layout[i + 3] == ':';
      i += colon ? 6 : 5;
      if (p < v.size() && v[p] == 'Z') {
        ++p;
        continue;
      }
      if (p >= v.size() || (v[p] != '+' && v[p] != '-'))
        return false;
      int sign = v[p++] == '-' ? -1 : 1, oh = 0, om = 0;
      ok = num(2, 2, &oh);
      if (colon && p < v.size() && v[p] == ':')
        ++p;
      ok = ok && num(2, 2, &om);
      offset = sign * (oh * 3600 + om * 60);
    } else if (starts("MST")) {
      while (p < v.size() && v[p] >= 'A' && v[p] <= 'Z')
        ++p;
      i += 3;
    } else if (starts("01")) {
      ok = num(2, 2, &mo);
      i += 2;
    } else if (starts("02")) {
      ok = num(2, 2, &d);
      i += 2;
    } else if (starts("_2")) {
      ok = num(1, 2, &d);
      i += 2;
    } else if (starts("06")) {
      ok = num(2, 2, &y);
      y += y >= 69 ? 1900 : 2000;
      i += 2;
    } else if (starts("15")) {
      ok = num(1, 2, &hh);
      i += 2;
    } else if (starts("03")) {
      ok = num(2, 2, &hh);
      i += 2;
    } else if (starts("04")) {
      ok = num(2, 2, &mm);
      i += 2;
    } else if (starts("05")) {
      ok = num(2, 2, &ss);
      i += 2;
      if (p < v.size() && v[p] == '.' &&
          !(i < layout.size() && layout[i] == '.')) {  // implicit fraction
        ++p;
        int64_t scale = 100000000;
        while (p < v.size() && v[p] >= '0' && v[p] <= '9') {
          frac += (v[p++] - '0') * scale;
          scale /= 10;
        }
      }
    } else if (starts("PM") || starts("pm")) {
      pm = v.substr(p, 2) == "PM" || v.substr(p, 2) == "pm";
      p += 2;
      i += 2;
    } else if (starts(".0") || starts(".9")) {
      char kind = layout[i + 1];
      size_t j = i + 1;
      while (j < layout.size() && layout[j] == kind)
        ++j;
      i = j;
      if (p < v.size() && v[p] == '.') {
        ++p;
        int64_t scale = 100000000;
        while (p < v.size() && v[p] >= '0' && v[p] <= '9') {
          frac += (v[p++] - '0') * scale;
          scale /= 10;
        }
      }
    } else if (starts("1")) {
      ok = num(1, 2, &mo);
      i += 1;
    } else if (starts("2")) {
      ok = num(1, 2, &d);
      i += 1;
    } else if (starts("3")) {
      ok = num(1, 2, &hh);
      i += 1;
    } else if (starts("4")) {
      ok = num(1, 2, &mm);
      i += 1;
    } else if (starts("5")) {
      ok = num(1, 2, &ss);
      i += 1;
    } else {
      if (p >= v.size() || v[p] != layout[i])
        return false;
      ++p;
      ++i;
    }
    if (!ok)
      return false;
  }
  if (p != v.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59)
    return false;
  if (pm == 1 && hh < 12)
    hh += 12;
  if (pm == 0 && hh == 12)
    hh = 0;
  int64_t secs = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                 hh * 3600 + mm * 60 + ss - offset;
  // Beyond 1678..2262 Go's UnixNano wraps (two's complement); so do we, without UB.
  *ns =
      static_cast<int64_t>(static_cast<uint64_t>(secs) * 1000000000u + static_cast<uint64_t>(frac));
  return true;
}

std::string GoSprintf(std::string_view f, const std::vector<TValue>& args) {
  std::string out;
  size_t argi = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out += f[i];
      continue;
    }
    if (++i >= f.size()) {
      out += "%!(NOVERB)";
      break;
    }
    std::string flags;
    while (i < f.size() && std::string_view("-+# 0").find(f[i]) != std::string_view::npos)
      flags += f[i++];
    std::string width, prec;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9')
      width += f[i++];
    bool has_prec = false;
    if (i < f.size() && f[i] == '.') {
      has_prec = true;
      ++i;
      while (i < f.size() && f[i] >= '0' && f[i] <= '9')
        prec += f[i++];
    }
    if (i >= f.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = f[i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (argi >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    const TValue& a = args[argi++];
    std::string spec = "%" + flags + width + (has_prec ? "." + (prec.empty() ? "0" : prec) : "");
    char buf[512];
    auto bad = [&] {
      return std::string("%!") + verb + "(" + std::string(TypeName(a)) + "=" + Printed(a) + ")";
    };
    std::string s;
    switch (verb) {
      case 'v':
      case 's':
        if (verb == 's' && a.type != TValue::Type::kString && a.type != TValue::Type::kTime) {
          s = bad();
          break;
        }
        std::snprintf(buf, sizeof(buf), (spec + "s").c_str(), Printed(a).c_str());
        s = buf;
        break;
      case 'q': {
        if (a.type != TValue::Type::kString) {
          s = bad();
          break;
        }
        std::string q = "\"";
        for (char c : a.s) {
          if (c == '"' || c == '\\') {
            q += '\\';
            q += c;
          } else if (c == '\n')
            q += "\\n";
          else if (c == '\t')
            q += "\\t";
          else
            q += c;
        }
        s = q + "\"";
        break;
      }
      case 'd':
      case 'x':
      case 'X':
      case 'o':
      case 'b':
      case 'c':
        if (a.type != TValue::Type::kInt) {
          s = bad();
          break;
        }
        if (verb == 'c') {
          s = std::string(1, static_cast<char>(a.i));
          break;
        }
        if (verb == 'b') {
          uint64_t u = a.i < 0 ? 0 - static_cast<uint64_t>(a.i) : static_cast<uint64_t>(a.i);
          do {
            s.insert(s.begin(), static_cast<char>('0' + (u & 1)));
            u >>= 1;
          } while (u);
          if (a.i < 0)
            s = "-" + s;
          break;
        }
        std::snprintf(buf, sizeof(buf), (spec + "ll" + verb).c_str(), static_cast<long long>(a.i));
        s = buf;
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        double v;
        if (a.type == TValue::Type::kFloat)
          v = a.f;
        else {
          s = bad();
          break;
        }
        if (verb == 'g' && !has_prec) {
          s = Printed(a);
          break;
        }
        std::snprintf(buf, sizeof(buf), (spec + verb).c_str(), v);
        s = buf;
        break;
      }
      case 't':
        if (a.type != TValue::Type::kBool) {
          s = bad();
          break;
        }
        s = a.b ? "true" : "false";
        break;
      default:
        s = bad();
    }
    out += s;
  }
  if (argi < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = argi; k < args.size(); ++k) {
      if (k > argi)
        out += ", ";
      out += std::string(TypeName(args[k])) + "=" + Printed(args[k]);
    }
    out += ")";
  }
  return out;
}

}  // namespace sluice::logql::log
