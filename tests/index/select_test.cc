// SelectStreams / LabelNames / LabelValues: matcher semantics, day buckets, tenant isolation.
#include <gtest/gtest.h>

#include "index/index.h"
#include "index_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::index::testing {
namespace {

using ::sluice::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SelectTest : public IndexTest {
 protected:
  void SetUp() override {
    IndexTest::SetUp();
    streams_ = {
        Labels::FromPairs({{"app", "api"}, {"env", "prod"}}),
        Labels::FromPairs({{"app", "api"}, {"env", "dev"}}),
        Labels::FromPairs({{"app", "web"}, {"env", "prod"}, {"team", "a"}}),
        Labels::FromPairs({{"app", "db"}}),
        Labels::FromPairs({{"job", "x|y"}, {"app", "web2"}}),
        Labels::FromPairs({{"app", "api"}, {"env", std::string_view("n\0l", 3)}}),
    };
    for (const auto& ls : streams_) {
      Add("t", ls, kDay0 + kHour);
    }
  }

  // The definition: every matcher accepts the label's value, "" when absent.
  std::vector<std::string> BruteForce(const Matchers& ms) {
    std::vector<std::string> out;
    for (const auto& ls : streams_) {
      bool ok = true;
      for (const auto& m : ms) {
        ok = ok && m.Matches(ls.Get(m.name()));
      }
      if (ok) {
        out.push_back(ls.ToString());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<Labels> streams_;
};

TEST_F(SelectTest, EqualityAndIntersection) {
  EXPECT_THAT(Select("t", {Eq("app", "db")}), ElementsAre(R"({app="db"})"));
  EXPECT_THAT(Select("t", {Eq("app", "api"), Eq("env", "prod")}),
              ElementsAre(R"({app="api", env="prod"})"));
  EXPECT_THAT(Select("t", {Eq("app", "nope")}), IsEmpty());
  EXPECT_THAT(Select("t", {Eq("app", "api"), Eq("team", "a")}), IsEmpty());
}

TEST_F(SelectTest, EmptyMatchingMatchersSelectStreamsWithoutTheLabel) {
  // env="" selects streams lacking env.
  EXPECT_THAT(Select("t", {Eq("env", "")}),
              ElementsAre(R"({app="db"})", R"({app="web2", job="x|y"})"));
  // env!="prod" also selects streams lacking env.
  EXPECT_EQ(Select("t", {Ne("env", "prod")}).size(), 4u);
  // env!="" selects streams having env.
  EXPECT_EQ(Select("t", {Ne("env", "")}).size(), 4u);
  // env=~".*" selects everything, env=~".+" only streams with env.
  EXPECT_EQ(Select("t", {Re("env", ".*")}).size(), streams_.size());
  EXPECT_EQ(Select("t", {Re("env", ".+")}).size(), 4u);
  // A regex alternation including "" keeps streams without the label.
  EXPECT_THAT(Select("t", {Re("team", "a|")}).size(), streams_.size());
}

TEST_F(SelectTest, RegexesAreFullyAnchoredAndLiteralAlternativesWork) {
  EXPECT_THAT(Select("t", {Re("app", "ap")}), IsEmpty());
  EXPECT_EQ(Select("t", {Re("app", "ap.")}).size(), 3u);
  EXPECT_THAT(Select("t", {Re("app", "db|web")}),
              ElementsAre(R"({app="db"})", R"({app="web", env="prod", team="a"})"));
  // A value containing the regex metacharacter "|" found by an escaped regex.
  EXPECT_THAT(Select("t", {Re("job", "x\\|y")}), ElementsAre(R"({app="web2", job="x|y"})"));
  EXPECT_EQ(Select("t", {Nre("app", "api|db")}).size(), 2u);
  EXPECT_EQ(Select("t", {Nre("app", "a.*")}).size(), 3u);
}

TEST_F(SelectTest, NulBytesInValuesAreExact) {
  EXPECT_EQ(Select("t", {Eq("env", std::string("n\0l", 3))}).size(), 1u);
  EXPECT_THAT(Select("t", {Eq("env", "n")}), IsEmpty());
}

TEST_F(SelectTest, EveryMatcherCombinationAgreesWithTheDefinition) {
  std::vector<LabelMatcher> pool = {Eq("app", "api"),    Eq("env", ""),       Ne("env", "prod"),
                                    Ne("team", ""),      Re("app", "a.*"),    Re("env", "p.*|"),
                                    Re("app", "web|db"), Nre("app", "web.*"), Nre("env", ""),
                                    Nre("job", ".*"),    Re("nope", ".*"),    Eq("nope", "")};
  for (size_t i = 0; i < pool.size(); ++i) {
    EXPECT_EQ(Select("t", {pool[i]}), BruteForce({pool[i]})) << pool[i].ToString();
    for (size_t j = 0; j < pool.size(); ++j) {
      Matchers ms = {pool[i], pool[j]};
      EXPECT_EQ(Select("t", ms), BruteForce(ms)) << pool[i].ToString() << "," << pool[j].ToString();
    }
  }
}

TEST_F(SelectTest, NoMatchersSelectsEveryStreamInRange) {
  EXPECT_EQ(Select("t", {}).size(), streams_.size());
}

TEST_F(SelectTest, OnlyDaysOverlappingTheRangeAreConsidered) {
  Labels later = Labels::FromPairs({{"app", "later"}});
  Add("t", later, kDay0 + 2 * kDay + kHour);
  // Day 0 only.
  EXPECT_THAT(Select("t", {Eq("app", "later")}), IsEmpty());
  // Range touching day 2 by one nanosecond.
  EXPECT_EQ(Select("t", {Eq("app", "later")}, kDay0, kDay0 + 2 * kDay + 1).size(), 1u);
  // Half-open: a range ending exactly at day 2 excludes it.
  EXPECT_THAT(Select("t", {Eq("app", "later")}, kDay0, kDay0 + 2 * kDay), IsEmpty());
  // Day 2 alone excludes day 0's streams; a wide range sees both.
  EXPECT_EQ(Select("t", {}, kDay0 + 2 * kDay, kDay0 + 3 * kDay).size(), 1u);
  EXPECT_EQ(Select("t", {}, 0, kDay0 + 1000 * kDay).size(), streams_.size() + 1);
  EXPECT_THAT(Select("t", {}, kDay0 + kDay, kDay0 + kDay), IsEmpty());  // empty range
  // Before the epoch: nothing, and no trouble with negative days.
  EXPECT_THAT(Select("t", {}, -10 * kDay, 0), IsEmpty());
}

TEST_F(SelectTest, TenantsAreIsolatedEvenWhenOneIdPrefixesAnother) {
  Add("t2", Labels::FromPairs({{"app", "other"}}), kDay0 + kHour);
  Add("t\x01", Labels::FromPairs({{"app", "weird"}}), kDay0 + kHour);
  EXPECT_THAT(Select("t2", {}), ElementsAre(R"({app="other"})"));
  EXPECT_THAT(Select("t\x01", {}), ElementsAre(R"({app="weird"})"));
  EXPECT_EQ(Select("t", {}).size(), streams_.size());
  EXPECT_THAT(Select("t", {Eq("app", "other")}), IsEmpty());
  EXPECT_THAT(Select("", {}), IsEmpty());
  auto names = index_->LabelValues("t", "app", kDay0, kDay0 + kDay, {});
  ASSERT_THAT(names, IsOk());
  EXPECT_THAT(*names, ElementsAre("api", "db", "web", "web2"));
}

TEST_F(SelectTest, LabelNamesAndValues) {
  auto names = index_->LabelNames("t", kDay0, kDay0 + kDay, {});
  ASSERT_THAT(names, IsOk());
  EXPECT_THAT(*names, ElementsAre("app", "env", "job", "team"));
  auto values = index_->LabelValues("t", "env", kDay0, kDay0 + kDay, {});
  ASSERT_THAT(values, IsOk());
  EXPECT_THAT(*values, ElementsAre("dev", std::string("n\0l", 3), "prod"));
  auto none = index_->LabelValues("t", "missing", kDay0, kDay0 + kDay, {});
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(*none, IsEmpty());
  auto other_day = index_->LabelNames("t", kDay0 + kDay, kDay0 + 2 * kDay, {});
  ASSERT_THAT(other_day, IsOk());
  EXPECT_THAT(*other_day, IsEmpty());
}

TEST_F(SelectTest, LabelNamesAndValuesWithFilter) {
  auto names = index_->LabelNames("t", kDay0, kDay0 + kDay, {Eq("app", "web")});
  ASSERT_THAT(names, IsOk());
  EXPECT_THAT(*names, ElementsAre("app", "env", "team"));
  auto values = index_->LabelValues("t", "app", kDay0, kDay0 + kDay, {Eq("env", "prod")});
  ASSERT_THAT(values, IsOk());
  EXPECT_THAT(*values, ElementsAre("api", "web"));
}

TEST_F(SelectTest, ValuesAcrossDaysAreMergedAndDeduplicated) {
  Add("t", Labels::FromPairs({{"app", "api"}, {"env", "prod"}}), kDay0 + kDay + kHour);
  Add("t", Labels::FromPairs({{"app", "zeta"}}), kDay0 + kDay + kHour);
  auto values = index_->LabelValues("t", "app", kDay0, kDay0 + 2 * kDay, {});
  ASSERT_THAT(values, IsOk());
  EXPECT_THAT(*values, ElementsAre("api", "db", "web", "web2", "zeta"));
  EXPECT_EQ(Select("t", {Eq("app", "api")}, kDay0, kDay0 + 2 * kDay).size(), 3u);
}

}  // namespace
}  // namespace sluice::index::testing
