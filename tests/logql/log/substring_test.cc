// ContainsSubstring (the SIMD line-filter search) against std::string_view::find: every
// haystack length around the 16/32-byte vector widths, needles at every position (the last
// one is the overlapping tail load), near misses, and random text.
#include "logql/log/substring.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace sluice::logql::log {
namespace {

TEST(ContainsSubstring, NeedleAtEveryPositionOfEveryLength) {
  for (const std::string needle : {"e", "er", "error", "payment-service-timeout-xyz"}) {
    for (size_t len = 0; len < 100; ++len) {
      for (size_t at = 0; at + needle.size() <= len; ++at) {
        std::string h(len, '.');
        h.replace(at, needle.size(), needle);
        ASSERT_TRUE(ContainsSubstring(h, needle)) << needle << " len " << len << " at " << at;
        // First and last bytes match but the middle does not (for needles of 3+ bytes).
        if (needle.size() >= 3) {
          h[at + 1] = '#';
          ASSERT_FALSE(ContainsSubstring(h, needle)) << needle << " len " << len << " at " << at;
        }
      }
      ASSERT_FALSE(ContainsSubstring(std::string(len, '.'), needle));
    }
  }
  EXPECT_TRUE(ContainsSubstring("", ""));
  EXPECT_TRUE(ContainsSubstring("abc", ""));
  EXPECT_FALSE(ContainsSubstring("ab", "abc"));
}

TEST(ContainsSubstring, AgreesWithFindOnRandomText) {
  std::mt19937 rng(7);
  for (int i = 0; i < 200000; ++i) {
    std::string h(rng() % 200, 'a'), n(1 + rng() % 8, 'a');
    for (char& c : h)
      c = static_cast<char>('a' + rng() % 3);
    for (char& c : n)
      c = static_cast<char>('a' + rng() % 3);
    ASSERT_EQ(ContainsSubstring(h, n), h.find(n) != std::string::npos) << h << " / " << n;
  }
}

}  // namespace
}  // namespace sluice::logql::log
