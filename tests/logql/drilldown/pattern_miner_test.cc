#include "logql/drilldown/pattern_miner.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

using ::testing::ElementsAre;
using Sample = std::pair<int64_t, int64_t>;

constexpr int64_t kSec = 1'000'000'000;

TEST(PatternMinerTest, GroupsByLevelAndBucketsByStep) {
  PatternMinerOptions o;
  o.start_ns = 100 * kSec;
  o.end_ns = 200 * kSec;
  o.step_ns = 30 * kSec;
  PatternMiner m(o);
  std::vector<Label> info = {{"detected_level", "info"}};
  std::vector<Label> err = {{"detected_level", "error"}};
  std::vector<std::string> lines;
  for (int i = 0; i < 6; ++i)
    lines.push_back("served request " + std::to_string(i) + " in 5ms");
  for (int i = 0; i < 6; ++i)
    m.Add(1, Entry{(100 + i * 10) * kSec, lines[i], info});
  m.Add(1, Entry{150 * kSec, "served request 99 in 7ms", err});
  m.Add(1, Entry{99 * kSec, "served request 98 in 1ms", info});   // before start
  m.Add(1, Entry{200 * kSec, "served request 97 in 1ms", info});  // end is exclusive
  auto patterns = m.Patterns();
  ASSERT_EQ(patterns.size(), 2u);
  EXPECT_EQ(patterns[0].pattern, "served request <_> in 5ms");
  EXPECT_EQ(patterns[0].level, "info");
  EXPECT_EQ(patterns[0].total, 6);
  // Buckets are multiples of the step: 90 s (100, 110), 120 s (120..140), 150 s (150).
  EXPECT_THAT(patterns[0].samples,
              ElementsAre(Sample{90 * kSec, 2}, Sample{120 * kSec, 3}, Sample{150 * kSec, 1}));
  EXPECT_EQ(patterns[1].pattern, "served request 99 in 7ms");
  EXPECT_EQ(patterns[1].level, "error");
  EXPECT_EQ(m.lines_added(), 7);
}

TEST(PatternMinerTest, UnknownLevelAndStreamFormat) {
  PatternMinerOptions o;
  o.end_ns = 100 * kSec;
  PatternMiner m(o);
  // The stream's first line decides its format (logfmt here), as in Loki's ingester.
  m.Add(7, Entry{1 * kSec, "level=info msg=started id=1", {}});
  m.Add(7, Entry{2 * kSec, "level=info msg=started id=2", {}});
  auto patterns = m.Patterns();
  ASSERT_EQ(patterns.size(), 1u);
  EXPECT_EQ(patterns[0].pattern, "level=info msg=started id=<_>");
  EXPECT_EQ(patterns[0].level, "unknown");
}

}  // namespace
}  // namespace sluice::logql::drilldown
