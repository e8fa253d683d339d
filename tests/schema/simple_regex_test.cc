// The ASCII fast path for `pattern` must agree with RE2 (the ECMA translation) wherever it
// compiles; it must refuse what it cannot match exactly.
#include "schema/simple_regex.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "schema/ecma_regex.h"

namespace sluice::schema {
namespace {

TEST(SimpleRegexTest, CompilesTheReferencePatterns) {
  for (const char* p : {"^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$", "^[0-9a-fA-F]{16}$",
                        "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", "^\\d{3}-\\w+$", "ab+c", "x?"}) {
    EXPECT_NE(SimpleRegex::TryCompile(p), nullptr) << p;
  }
}

TEST(SimpleRegexTest, RefusesWhatItCannotMatchExactly) {
  for (const char* p : {"^.$", "[^a]", "\\s", "\\D", "(a)+", "(?=a)", "\\u00e9", "é", "a|b",
                        "\\p{L}", "(?<n>a)", "[a-z"}) {
    EXPECT_EQ(SimpleRegex::TryCompile(p), nullptr) << p;
  }
}

// Checks the fast path against RE2 on `count` strings from `make(rng)`. `may_give_up`: a
// kGaveUp answer is allowed (the caller then asks RE2).
template <typename MakeString>
void ExpectAgreesWithRe2(const char* pattern, std::mt19937& rng, MakeString make,
                         bool may_give_up) {
  auto simple = SimpleRegex::TryCompile(pattern);
  ASSERT_NE(simple, nullptr) << pattern;
  auto re = CompileEcmaRegex(pattern);
  ASSERT_TRUE(re.ok());
  for (int n = 0; n < 3000; ++n) {
    std::string s = make(rng, n);
    SimpleRegex::Outcome o = simple->Search(s);
    if (o == SimpleRegex::Outcome::kGaveUp) {
      EXPECT_TRUE(may_give_up) << pattern << " on " << s;
      continue;
    }
    EXPECT_EQ(o == SimpleRegex::Outcome::kMatch, RE2::PartialMatch(s, **re))
        << pattern << " on " << s;
  }
}

TEST(SimpleRegexTest, AgreesWithRe2OnRandomInputs) {
  std::mt19937 rng(42);
  auto make = [](std::mt19937& rng, int n) {
    const std::string alphabet = "09afAFgz-_ .\xc3\xa9";
    if (n % 3 == 0)
      return std::string(rng() % 2 ? 16 : 32, "0a"[rng() % 2]);
    std::string s;
    size_t len = rng() % 40;
    for (size_t i = 0; i < len; ++i)
      s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  };
  for (const char* p : {"^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$", "^[0-9a-fA-F]{2}$",
                        "^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$", "a-?f", "^\\w+$", "[0-9]{2,}z*$",
                        "(ab|a)(c|bcd)(d*)", "^$"}) {
    ExpectAgreesWithRe2(p, rng, make, false);
  }
}

// Long runs exercise the 16-bytes-at-a-time scan (full blocks, the overlapping last block,
// and a stop inside either).
TEST(SimpleRegexTest, AgreesWithRe2OnLongRuns) {
  std::mt19937 rng(7);
  auto make = [](std::mt19937& rng, int) {
    const std::string members = "0123456789abcdefxyz-";
    const std::string others = "G_ .\xc3\xa9";
    std::string s;
    size_t len = rng() % 100;
    for (size_t i = 0; i < len; ++i) {
      const std::string& from = rng() % 40 == 0 ? others : members;
      s.push_back(from[rng() % from.size()]);
    }
    return s;
  };
  for (const char* p :
       {"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", "^\\w{20,40}$", "[0-9a-f]+x", "^[0-9a-fA-F]{16}$",
        "^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$", "^[a-f]*$", "^[ace0-3xz-]{5,70}$"}) {
    ExpectAgreesWithRe2(p, rng, make, true);
  }
}

TEST(SimpleRegexTest, OnePassOnlyWhereNoAtomNeedsASecondTry) {
  for (const char* p :
       {"^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$", "^[0-9a-fA-F]{16}$",
        "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", "^[0-9]+-[a-w]*x?$", "^$", "^(ab|a)(c|bcd)(d*)$"}) {
    EXPECT_TRUE(SimpleRegex::TryCompile(p)->one_pass()) << p;
  }
  for (const char* p : {"^a*b?a+$", "^[a-c]{1,3}[c-e]{1,3}$", "[0-9a-f]{16}", "^x", "y$"}) {
    EXPECT_FALSE(SimpleRegex::TryCompile(p)->one_pass()) << p;
  }
}

// Both matchers (one pass and backtracking) against RE2, on short texts over the patterns'
// own bytes, where the counts are most often ambiguous.
TEST(SimpleRegexTest, AgreesWithRe2OnAmbiguousCounts) {
  std::mt19937 rng(3);
  auto make = [](std::mt19937& rng, int) {
    const std::string alphabet = "abcdex-09";
    std::string s;
    size_t len = rng() % 9;
    for (size_t i = 0; i < len; ++i)
      s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  };
  for (const char* p :
       {"^a*b?a+$", "^[a-c]{1,3}[c-e]{1,3}$", "^[0-9]+-[a-z]*x?$", "^(ab|a)(c|bcd)(d*)$",
        "^(a|ab)?b{0,2}$", "^[a-e]{2}(x|[0-9]-)?[a-e]*$", "^a{0,2}b?a$", "^[ab]*[bc]$"}) {
    ExpectAgreesWithRe2(p, rng, make, false);
  }
}

TEST(SimpleRegexTest, GivesUpInsteadOfBlowingUp) {
  auto simple = SimpleRegex::TryCompile("^a*a*a*a*a*a*a*b$");
  ASSERT_NE(simple, nullptr);
  EXPECT_EQ(simple->Search(std::string(200, 'a')), SimpleRegex::Outcome::kGaveUp);
}

}  // namespace
}  // namespace sluice::schema
