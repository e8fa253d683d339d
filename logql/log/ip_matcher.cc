#include "logql/log/ip_matcher.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace sluice::logql::log {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

size_t SpanOf(std::string_view s, std::string_view charset) {
  size_t i = 0;
  while (i < s.size() && charset.find(s[i]) != std::string_view::npos)
    ++i;
  return i;
}

constexpr std::string_view kV4Charset = "0123456789.";
constexpr std::string_view kV6Charset = "0123456789abcdefABCDEF:.";

}  // namespace

bool IpMatcher::ParseAddr(std::string_view s, Addr* out) {
  if (s.empty() || s.size() > 64)
    return false;
  char buf[65];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  *out = Addr{};
  if (s.find(':') == std::string_view::npos) {
    in_addr a4;
    if (inet_pton(AF_INET, buf, &a4) != 1)
      return false;
    std::memcpy(out->bytes.data() + 12, &a4, 4);
    out->v4 = true;
    return true;
  }
  in6_addr a6;
  if (inet_pton(AF_INET6, buf, &a6) != 1)
    return false;
  std::memcpy(out->bytes.data(), &a6, 16);
  return true;
}

Result<IpMatcher> IpMatcher::Make(std::string_view pattern) {
  IpMatcher m;
  auto invalid = [&] {
    std::string msg = "ip: invalid pattern: \"";
    msg.append(pattern);
    msg.push_back('"');
    return InvalidArgumentError(std::move(msg));
  };
  if (ParseAddr(pattern, &m.lo_)) {
    m.kind_ = Kind::kSingle;
    return m;
  }
  if (size_t slash = pattern.find('/'); slash != std::string_view::npos) {
    std::string_view bits = pattern.substr(slash + 1);
    if (!ParseAddr(pattern.substr(0, slash), &m.lo_) || bits.empty() || bits.size() > 3) {
      return invalid();
    }
    int n = 0;
    for (char c : bits) {
      if (!IsDigit(c))
        return invalid();
      n = n * 10 + (c - '0');
    }
    if (n > (m.lo_.v4 ? 32 : 128))
      return invalid();
    m.prefix_bits_ = n + (m.lo_.v4 ? 96 : 0);
    m.kind_ = Kind::kPrefix;
    return m;
  }
  if (size_t dash = pattern.find('-'); dash != std::string_view::npos) {
    if (!ParseAddr(pattern.substr(0, dash), &m.lo_) ||
        !ParseAddr(pattern.substr(dash + 1), &m.hi_) || m.lo_.v4 != m.hi_.v4 ||
        m.hi_.bytes < m.lo_.bytes) {
      return invalid();
    }
    m.kind_ = Kind::kRange;
    return m;
  }
  return invalid();
}

bool IpMatcher::Contains(const Addr& a) const {
  if (a.v4 != lo_.v4)
    return false;
  switch (kind_) {
    case Kind::kSingle:
      return a.bytes == lo_.bytes;
    case Kind::kRange:
      return lo_.bytes <= a.bytes && a.bytes <= hi_.bytes;
    case Kind::kPrefix: {
      int full = prefix_bits_ / 8;
      if (std::memcmp(a.bytes.data(), lo_.bytes.data(), full) != 0)
        return false;
      int rem = prefix_bits_ % 8;
      if (rem == 0)
        return true;
      uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rem));
      return (a.bytes[full] & mask) == (lo_.bytes[full] & mask);
    }
  }
  return false;
}

bool IpMatcher::MatchesAddress(std::string_view addr) const {
  Addr a;
  return ParseAddr(addr, &a) && Contains(a);
}

bool IpMatcher::MatchesLine(std::string_view line) const {
  const size_t n = line.size();
  auto at = [&](size_t i) -> char { return i < n ? line[i] : '\0'; };
  for (size_t i = 0; i < n; ++i) {
    std::string_view charset;
    if (i + 3 < n && IsDigit(line[i]) &&
        (line[i + 1] == '.' || line[i + 2] == '.' || line[i + 3] == '.')) {
      charset = kV4Charset;
    } else {
      char c0 = at(i), c1 = at(i + 1), c2 = at(i + 2), c3 = at(i + 3), c4 = at(i + 4);
      bool v6 = (c0 == ':' && c1 == ':' && IsHex(c2)) || (IsHex(c0) && c1 == ':') ||
                (IsHex(c0) && IsHex(c1) && c2 == ':') ||
                (IsHex(c0) && IsHex(c1) && IsHex(c2) && c3 == ':') ||
                (IsHex(c0) && IsHex(c1) && IsHex(c2) && IsHex(c3) && c4 == ':');
      if (!v6)
        continue;
      charset = kV6Charset;
    }
    size_t len = SpanOf(line.substr(i), charset);
    Addr a;
    if (ParseAddr(line.substr(i, len), &a) && Contains(a))
      return true;
    i += len;  // as Loki: the loop's ++i then skips one more byte
  }
  return false;
}

}  // namespace sluice::logql::log
