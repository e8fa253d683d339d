#include "common/matcher.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice {
namespace {

using testing::IsOk;
using testing::StatusIs;

TEST(MatcherTest, RegexIsFullyAnchored) {
  auto m = LabelMatcher::Make(MatchType::kRegex, "app", "a.*");
  ASSERT_THAT(m, IsOk());
  EXPECT_TRUE(m->Matches("abc"));
  EXPECT_FALSE(m->Matches("xabc"));
  EXPECT_FALSE(m->MatchesEmpty());
}

TEST(MatcherTest, NegativeAndEmpty) {
  auto ne = LabelMatcher::Make(MatchType::kNotEqual, "env", "prod");
  ASSERT_THAT(ne, IsOk());
  EXPECT_TRUE(ne->MatchesEmpty());
  EXPECT_FALSE(ne->Matches("prod"));
  auto nre = LabelMatcher::Make(MatchType::kNotRegex, "env", ".+");
  ASSERT_THAT(nre, IsOk());
  EXPECT_TRUE(nre->MatchesEmpty());
  EXPECT_FALSE(nre->Matches("x"));
}

TEST(MatcherTest, LiteralAlternatives) {
  auto m = LabelMatcher::Make(MatchType::kRegex, "app", "api|web");
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->literal_alternatives(), (std::vector<std::string>{"api", "web"}));
  auto r = LabelMatcher::Make(MatchType::kRegex, "app", "ap.|web");
  EXPECT_TRUE(r->literal_alternatives().empty());
}

TEST(MatcherTest, BadRegexIsInvalidArgument) {
  EXPECT_THAT(LabelMatcher::Make(MatchType::kRegex, "app", "(unclosed"),
              StatusIs(StatusCode::kInvalidArgument, "(unclosed"));
}

TEST(MatcherTest, ToString) {
  auto m = LabelMatcher::Make(MatchType::kNotRegex, "app", "a\"b");
  EXPECT_EQ(m->ToString(), R"(app!~"a\"b")");
}

}  // namespace
}  // namespace sluice
