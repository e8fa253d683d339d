// IpMatcher: the ip("...") operand of line and label filters (Loki's ip.go): a single address,
// a CIDR prefix or an `a-b` range, IPv4 or IPv6. Scanning a line finds candidate addresses
// with Loki's hints and tests each one.
// Thread-safety: immutable after Make; share freely.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace sluice::logql::log {

class IpMatcher {
 public:
  // Error text as Loki: `ip: invalid pattern: "<pattern>"`.
  static Result<IpMatcher> Make(std::string_view pattern);

  // True if `addr` (just an address) parses and matches.
  bool MatchesAddress(std::string_view addr) const;
  // True if any address embedded in `line` matches (line filter semantics).
  bool MatchesLine(std::string_view line) const;

 private:
  struct Addr {
    std::array<uint8_t, 16> bytes{};  // IPv4 in the last 4 bytes
    bool v4 = false;
  };

  static bool ParseAddr(std::string_view s, Addr* out);
  bool Contains(const Addr& a) const;

  enum class Kind { kSingle, kPrefix, kRange } kind_ = Kind::kSingle;
  Addr lo_;
  Addr hi_;
  int prefix_bits_ = 0;
};

}  // namespace sluice::logql::log
