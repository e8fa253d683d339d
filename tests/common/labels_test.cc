#include "common/labels.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice {
namespace {

using testing::IsOk;

TEST(LabelsTest, NormalisesSortsDropsEmptyAndKeepsLast) {
  Labels ls({{"job", "a"}, {"env", ""}, {"app", "x"}, {"job", "b"}});
  EXPECT_EQ(ls.ToString(), R"({app="x", job="b"})");
  EXPECT_EQ(ls.Get("job"), "b");
  EXPECT_EQ(ls.Get("env"), "");
  EXPECT_FALSE(ls.Has("env"));
}

TEST(LabelsTest, HashIsOrderIndependentAndDistinguishesBoundaries) {
  Labels a = Labels::FromPairs({{"a", "1"}, {"b", "2"}});
  Labels b = Labels::FromPairs({{"b", "2"}, {"a", "1"}});
  EXPECT_EQ(a.Hash(), b.Hash());
  EXPECT_NE(Labels::FromPairs({{"a", "bc"}}).Hash(), Labels::FromPairs({{"ab", "c"}}).Hash());
}

TEST(LabelsTest, ToStringQuotesLikeGo) {
  Labels ls = Labels::FromPairs({{"msg", "a\"b\\c\nd"}});
  EXPECT_EQ(ls.ToString(), R"({msg="a\"b\\c\nd"})");
  EXPECT_EQ(Labels().ToString(), "{}");
}

TEST(LabelsTest, ParseLabelStringRoundTrip) {
  auto r = ParseLabelString(R"({job="api", env = "prod", q="x\"y"})");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->ToString(), R"({env="prod", job="api", q="x\"y"})");
  EXPECT_THAT(ParseLabelString("{}"), IsOk());
}

TEST(LabelsTest, ParseLabelStringErrors) {
  EXPECT_FALSE(ParseLabelString("job=\"x\"").ok());
  EXPECT_FALSE(ParseLabelString("{job=\"x\"").ok());
  EXPECT_FALSE(ParseLabelString("{job=x}").ok());
  EXPECT_FALSE(ParseLabelString("{=\"x\"}").ok());
  EXPECT_FALSE(ParseLabelString("{a=\"x\"} trailing").ok());
}

TEST(LabelsTest, ValidLabelNames) {
  EXPECT_TRUE(IsValidLabelName("service_name"));
  EXPECT_TRUE(IsValidLabelName("_x9"));
  EXPECT_FALSE(IsValidLabelName("9x"));
  EXPECT_FALSE(IsValidLabelName("a-b"));
  EXPECT_FALSE(IsValidLabelName(""));
}

}  // namespace
}  // namespace sluice
