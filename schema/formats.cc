#include "schema/formats.h"

#include <cstdint>

#include "schema/ecma_regex.h"

namespace sluice::schema {

namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Reads exactly n ASCII digits at s[pos].
bool Digits(std::string_view s, size_t pos, size_t n, int* value) {
  if (pos + n > s.size())
    return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i]))
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

bool IsDate(std::string_view s) {
  int y, m, d;
  return s.size() == 10 && Digits(s, 0, 4, &y) && s[4] == '-' && Digits(s, 5, 2, &m) &&
         s[7] == '-' && Digits(s, 8, 2, &d) && m >= 1 && m <= 12 && d >= 1 &&
         d <= DaysInMonth(y, m);
}

bool IsTime(std::string_view s) {
  int h, m, sec;
  if (!Digits(s, 0, 2, &h) || s.size() < 9 || s[2] != ':' || !Digits(s, 3, 2, &m) || s[5] != ':' ||
      !Digits(s, 6, 2, &sec)) {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60)
    return false;
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && IsDigit(s[i]))
      ++i;
    if (i == start)
      return false;
  }
  if (i >= s.size())
    return false;
  int off_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size())
      return false;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (s.size() != i + 6 || !Digits(s, i + 1, 2, &oh) || s[i + 3] != ':' ||
        !Digits(s, i + 4, 2, &om) || oh > 23 || om > 59) {
      return false;
    }
    off_minutes = (oh * 60 + om) * (s[i] == '+' ? 1 : -1);
  } else {
    return false;
  }
  if (sec == 60) {  // a leap second exists only at 23:59:60 UTC
    int utc = ((h * 60 + m - off_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59)
      return false;
  }
  return true;
}

bool IsDateTime(std::string_view s) {
  return s.size() > 11 && IsDate(s.substr(0, 10)) && (s[10] == 'T' || s[10] == 't') &&
         IsTime(s.substr(11));
}

bool IsDuration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P')
    return false;
  size_t i = 1;
  auto number = [&]() {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i]))
      ++i;
    return i > start;
  };
  // Weeks stand alone: PnW.
  {
    size_t save = i;
    if (number() && i < s.size() && s[i] == 'W')
      return i + 1 == s.size();
    i = save;
  }
  static constexpr std::string_view kDateUnits = "YMD", kTimeUnits = "HMS";
  size_t next_unit = 0;
  bool any = false;
  while (i < s.size() && s[i] != 'T') {
    if (!number() || i >= s.size())
      return false;
    size_t u = kDateUnits.find(s[i], next_unit);
    if (u == std::string_view::npos)
      return false;
    next_unit = u + 1;
    any = true;
    ++i;
  }
  if (i < s.size()) {  // 'T'
    ++i;
    next_unit = 0;
    bool any_time = false;
    while (i < s.size()) {
      if (!number() || i >= s.size())
        return false;
      size_t u = kTimeUnits.find(s[i], next_unit);
      if (u == std::string_view::npos)
        return false;
      next_unit = u + 1;
      any_time = true;
      ++i;
    }
    if (!any_time)
      return false;
    any = true;
  }
  return any;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i]))
      return false;
  }
  return true;
}

bool IsIpv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    int value = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3)
      value = value * 10 + (s[i++] - '0');
    size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && s[start] == '0'))
      return false;
    ++parts;
    if (i == s.size())
      return parts == 4;
    if (s[i] != '.' || parts == 4)
      return false;
    ++i;
  }
}

bool IsIpv6(std::string_view s) {
  if (s.empty() || s.size() > 45)
    return false;
  size_t dc = s.find("::");
  if (dc != std::string_view::npos && s.find("::", dc + 1) != std::string_view::npos)
    return false;
  // Counts 16-bit groups in a ':'-separated run; an IPv4 tail counts two.
  auto count = [](std::string_view part, bool may_end_v4, int* groups) {
    *groups = 0;
    if (part.empty())
      return true;
    size_t i = 0;
    while (true) {
      size_t colon = part.find(':', i);
      std::string_view g = part.substr(i, colon == std::string_view::npos ? part.npos : colon - i);
      if (colon == std::string_view::npos && may_end_v4 && g.find('.') != std::string_view::npos) {
        if (!IsIpv4(g))
          return false;
        *groups += 2;
        return true;
      }
      if (g.empty() || g.size() > 4)
        return false;
      for (char c : g) {
        if (!IsHex(c))
          return false;
      }
      ++*groups;
      if (colon == std::string_view::npos)
        return true;
      i = colon + 1;
    }
  };
  int left, right;
  if (dc == std::string_view::npos) {
    return count(s, true, &left) && left == 8;
  }
  return count(s.substr(0, dc), false, &left) && count(s.substr(dc + 2), true, &right) &&
         left + right <= 7;
}

bool IsHostname(std::string_view s) {
  if (!s.empty() && s.back() == '.')
    s.remove_suffix(1);
  if (s.empty() || s.size() > 253)
    return false;
  size_t i = 0;
  while (true) {
    size_t dot = s.find('.', i);
    std::string_view label = s.substr(i, dot == std::string_view::npos ? s.npos : dot - i);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsAlnum(c) && c != '-')
        return false;
    }
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-' &&
        !(label.substr(0, 2) == "xn" || label.substr(0, 2) == "XN")) {
      return false;
    }
    if (dot == std::string_view::npos)
      return true;
    i = dot + 1;
  }
}

bool IsEmail(std::string_view s) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size())
    return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    // Quoted local part: any printable except unescaped '"' or '\\'.
    for (size_t i = 1; i + 1 < local.size(); ++i) {
      if (local[i] == '\\') {
        ++i;
      } else if (local[i] == '"' || static_cast<unsigned char>(local[i]) < 0x20) {
        return false;
      }
    }
  } else {
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) {
      return false;
    }
    for (char c : local) {
      if (!IsAlnum(c) && c != '.' && kAtext.find(c) == std::string_view::npos)
        return false;
    }
  }
  if (domain.front() == '[' && domain.back() == ']') {
    std::string_view lit = domain.substr(1, domain.size() - 2);
    if (lit.substr(0, 5) == "IPv6:")
      return IsIpv6(lit.substr(5));
    return IsIpv4(lit);
  }
  return IsHostname(domain);
}

namespace {

// RFC 3986 characters: unreserved, reserved and valid percent escapes; no authority port
// with non-digits.
bool UriCharsOk(std::string_view s) {
  static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2]))
        return false;
      i += 2;
    } else if (!IsAlnum(c) && kAllowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  size_t hash = s.find('#');
  if (hash != std::string_view::npos && s.find('#', hash + 1) != std::string_view::npos) {
    return false;
  }
  size_t auth = s.find("//");
  if (auth != std::string_view::npos && (auth == 0 || s[auth - 1] == ':')) {
    std::string_view rest = s.substr(auth + 2);
    std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    size_t at = host.rfind('@');
    if (at != std::string_view::npos)
      host.remove_prefix(at + 1);
    size_t bracket = host.rfind(']');
    size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
      for (char c : host.substr(colon + 1)) {
        if (!IsDigit(c))
          return false;
      }
      host = host.substr(0, colon);
    }
    if (host.find('[') != std::string_view::npos && (host.front() != '[' || host.back() != ']')) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsUri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || IsDigit(s[0]) || !IsAlnum(s[0])) {
    return false;
  }
  for (size_t i = 1; i < colon; ++i) {
    if (!IsAlnum(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.')
      return false;
  }
  return UriCharsOk(s);
}

bool IsUriReference(std::string_view s) {
  return UriCharsOk(s);
}

bool IsRegex(std::string_view s) {
  return CompileEcmaRegex(s).ok();
}

bool IsJsonPointer(std::string_view s) {
  if (s.empty())
    return true;
  if (s[0] != '/')
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1')))
      return false;
  }
  return true;
}

FormatChecker FindFormatChecker(std::string_view name) {
  struct Entry {
    std::string_view name;
    FormatChecker checker;
  };

  static constexpr Entry kCheckers[] = {
      {"date-time", IsDateTime},
      {"date", IsDate},
      {"time", IsTime},
      {"duration", IsDuration},
      {"uuid", IsUuid},
      {"ipv4", IsIpv4},
      {"ipv6", IsIpv6},
      {"hostname", IsHostname},
      {"email", IsEmail},
      {"uri", IsUri},
      {"uri-reference", IsUriReference},
      {"regex", IsRegex},
      {"json-pointer", IsJsonPointer},
  };
  for (const Entry& e : kCheckers) {
    if (e.name == name)
      return e.checker;
  }
  return nullptr;
}

}  // namespace sluice::schema
