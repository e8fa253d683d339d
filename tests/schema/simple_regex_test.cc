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

TEST(SimpleRegexTest, AgreesWithRe2OnRandomInputs) {
  std::mt19937 rng(42);
  const std::string alphabet = "09afAFgz-_ .\xc3\xa9";
  for (const char* p : {"^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$", "^[0-9a-fA-F]{2}$",
                        "^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$", "a-?f", "^\\w+$", "[0-9]{2,}z*$",
                        "(ab|a)(c|bcd)(d*)", "^$"}) {
    auto simple = SimpleRegex::TryCompile(p);
    ASSERT_NE(simple, nullptr) << p;
    auto re = CompileEcmaRegex(p);
    ASSERT_TRUE(re.ok());
    for (int n = 0; n < 3000; ++n) {
      std::string s;
      size_t len = rng() % 40;
      for (size_t i = 0; i < len; ++i)
        s.push_back(alphabet[rng() % alphabet.size()]);
      if (n % 3 == 0)
        s = std::string(rng() % 2 ? 16 : 32, "0a"[rng() % 2]);
      SimpleRegex::Outcome o = simple->Search(s);
      ASSERT_NE(o, SimpleRegex::Outcome::kGaveUp) << p << " on " << s;
      EXPECT_EQ(o == SimpleRegex::Outcome::kMatch, RE2::PartialMatch(s, **re)) << p << " on " << s;
    }
  }
}

TEST(SimpleRegexTest, GivesUpInsteadOfBlowingUp) {
  auto simple = SimpleRegex::TryCompile("^a*a*a*a*a*a*a*b$");
  ASSERT_NE(simple, nullptr);
  EXPECT_EQ(simple->Search(std::string(200, 'a')), SimpleRegex::Outcome::kGaveUp);
}

}  // namespace
}  // namespace sluice::schema
