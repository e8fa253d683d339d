#include "logql/drilldown/drain.h"

#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr int64_t kSec = 1'000'000'000;

std::set<std::string> Patterns(const Drain& d) {
  std::set<std::string> out;
  for (const LogCluster* c : d.Clusters())
    out.insert(d.Pattern(*c));
  return out;
}

TEST(DrainTest, ClustersSimilarLinesIntoTemplates) {
  Drain d(DrainOptions{}, LineFormat::kUnknown);
  for (int i = 0; i < 20; ++i) {
    d.Train("user " + std::to_string(1000 + i) + " logged in from 10.0.0." + std::to_string(i),
            i * kSec);
    d.Train("GET /api/items/" + std::to_string(i) + " returned 200 in " + std::to_string(i) + "ms",
            i * kSec);
  }
  EXPECT_THAT(Patterns(d),
              UnorderedElementsAre("user <_> logged in from <_>", "GET <_> returned 200 in <_>"));
  for (const LogCluster* c : d.Clusters())
    EXPECT_EQ(c->size(), 20);
}

TEST(DrainTest, DifferentTokenCountsNeverMerge) {
  Drain d(DrainOptions{}, LineFormat::kUnknown);
  d.Train("connection to db closed now", 0);
  d.Train("connection to db closed after timeout now", 0);
  EXPECT_EQ(d.Clusters().size(), 2u);
}

TEST(DrainTest, SkipsTooFewAndTooManyTokens) {
  Drain d(DrainOptions{}, LineFormat::kUnknown);
  EXPECT_EQ(d.Train("only three tokens", 0), nullptr);
  std::string long_line;
  for (int i = 0; i < 90; ++i)
    long_line += "w" + std::to_string(i) + " ";
  EXPECT_EQ(d.Train(long_line, 0), nullptr);
  EXPECT_NE(d.Train("four tokens are enough", 0), nullptr);
}

TEST(DrainTest, DissimilarLinesStaySeparate) {
  Drain d(DrainOptions{}, LineFormat::kUnknown);
  d.Train("alpha beta gamma delta", 0);
  d.Train("one two three four", 0);
  EXPECT_THAT(Patterns(d), UnorderedElementsAre("alpha beta gamma delta", "one two three four"));
}

TEST(DrainTest, CountsPerSampleBucket) {
  DrainOptions o;
  o.sample_interval_ns = 10 * kSec;
  Drain d(o, LineFormat::kUnknown);
  for (int64_t t : {1, 5, 9, 12, 31})
    d.Train("request served to client " + std::to_string(t), t * kSec);
  d.Train("request served to client x", 2 * kSec);  // out of order
  auto clusters = d.Clusters();
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_THAT(clusters[0]->samples(), ElementsAre(std::pair<int64_t, int64_t>{0, 4},
                                                  std::pair<int64_t, int64_t>{10 * kSec, 1},
                                                  std::pair<int64_t, int64_t>{30 * kSec, 1}));
}

TEST(DrainTest, LruEvictionBoundsClusters) {
  DrainOptions o;
  o.max_clusters = 5;
  Drain d(o, LineFormat::kUnknown);
  const char* words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
  for (const char* w : words)
    d.Train(std::string(w) + " " + w + " " + w + " " + w, 0);
  EXPECT_EQ(d.Clusters().size(), 5u);
  // The most recent survive; the evicted one founds a new cluster when seen again.
  EXPECT_TRUE(Patterns(d).count("hotel hotel hotel hotel"));
  EXPECT_FALSE(Patterns(d).count("alpha alpha alpha alpha"));
  d.Train("alpha alpha alpha alpha", 0);
  EXPECT_TRUE(Patterns(d).count("alpha alpha alpha alpha"));
}

TEST(DrainTest, LogfmtAndJsonFormats) {
  Drain l(DrainOptions{}, LineFormat::kLogfmt);
  for (int i = 0; i < 5; ++i)
    l.Train("ts=" + std::to_string(i) + " level=info msg=done took=" + std::to_string(i) + "ms", 0);
  EXPECT_THAT(Patterns(l), ElementsAre("ts=<_> level=info msg=done took=<_>"));
  Drain j(DrainOptions{}, LineFormat::kJson);
  for (int i = 0; i < 5; ++i)
    j.Train(R"({"msg":"job )" + std::to_string(i) + R"( finished ok","n":1})", 0);
  EXPECT_THAT(Patterns(j), ElementsAre("<_>job <_> finished ok<_>"));
}

}  // namespace
}  // namespace sluice::logql::drilldown
