// Range aggregations split into time shards scanned on their own threads (EngineOptions::
// parallelism, range_evaluation.cc + shard_merge.cc) must give exactly what one pass gives:
// every mergeable op, grouped and not, with offset, instant and range, windows straddling the
// shard cuts, and the same pipeline error. The one-pass result is the reference; the counts are
// also checked against a brute-force count over the generated lines.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "logql/engine.h"
#include "memory_querier.h"
#include "testing/status_matchers.h"

namespace sluice::logql::test_util {
namespace {

using ::sluice::testing::IsOk;

class ShardedRangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(99);
    const char* levels[] = {"info", "warn", "error"};
    for (int i = 0; i < 4000; ++i) {
      const std::string app = "svc-" + std::to_string(rng() % 4);
      const int64_t ts = static_cast<int64_t>(rng() % (7200ULL * 1000)) * 1'000'000;
      const std::string level = levels[rng() % 3];
      const std::string line = R"({"level":")" + level + R"(","latency":)" +
                               std::to_string(rng() % 5000) + "." + std::to_string(rng() % 10) +
                               "}";
      q_.Add(Labels::FromPairs({{"app", app}}), ts, line);
      lines_.emplace_back(ts, static_cast<int64_t>(line.size()));
      if (level == "error")
        error_ts_.push_back(ts);
    }
  }

  Result<QueryResult> Run(const std::string& query, int parallelism, bool instant) {
    QueryParams p;
    p.query = query;
    p.instant = instant;
    p.start_ns = instant ? 7200 * kSec : 600 * kSec;
    p.end_ns = 7200 * kSec;
    p.step_ns = 70 * kSec;  // windows of [5m] overlap steps and straddle shard cuts
    EngineOptions o;
    o.parallelism = parallelism;
    o.min_shard_span_ns = 1;
    return Engine(&q_, o).Exec("fake", p);
  }

  // label string -> points, for comparing two results.
  static std::map<std::string, std::vector<Point>> Flatten(const QueryResult& r) {
    std::map<std::string, std::vector<Point>> out;
    for (const Series& s : r.series)
      out[s.labels.ToString()] = s.points;
    return out;
  }

  void ExpectSameAsOnePass(const std::string& query, bool instant) {
    SCOPED_TRACE(query + (instant ? " (instant)" : " (range)"));
    auto one = Run(query, 1, instant);
    ASSERT_THAT(one.status(), IsOk());
    ASSERT_FALSE(one->series.empty());
    const size_t calls_before = q_.calls.size();
    auto sharded = Run(query, 3, instant);
    ASSERT_THAT(sharded.status(), IsOk());
    EXPECT_EQ(q_.calls.size() - calls_before, 3u);
    EXPECT_EQ(sharded->stats.lines_processed, one->stats.lines_processed);
    EXPECT_EQ(sharded->stats.bytes_processed, one->stats.bytes_processed);
    EXPECT_EQ(sharded->stats.post_filter_lines, one->stats.post_filter_lines);
    const auto a = Flatten(*one), b = Flatten(*sharded);
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [labels, points] : a) {
      ASSERT_EQ(b.count(labels), 1u) << labels;
      const auto& other = b.at(labels);
      ASSERT_EQ(points.size(), other.size()) << labels;
      for (size_t i = 0; i < points.size(); ++i) {
        EXPECT_EQ(points[i].timestamp_ns, other[i].timestamp_ns);
        // Sums of floats add up in another order (as with Loki's shards): equal to 1e-12.
        EXPECT_NEAR(points[i].value, other[i].value, 1e-12 * std::abs(points[i].value))
            << labels << " @" << i;
      }
    }
  }

  MemoryQuerier q_;
  std::vector<int64_t> error_ts_;
  std::vector<std::pair<int64_t, int64_t>> lines_;  // (ts, line bytes)
};

TEST_F(ShardedRangeTest, EveryMergeableOpMatchesOnePass) {
  for (bool instant : {true, false}) {
    const std::string r = instant ? "[2h]" : "[5m]";
    for (const char* q : {
             R"(sum by (app) (count_over_time({app=~"svc-.*"} | json | level="error" RANGE)))",
             R"(sum by (level) (count_over_time({app=~"svc-.*"} | json RANGE)))",
             R"(rate({app=~"svc-.*"} RANGE offset 3m))",
             R"(bytes_over_time({app="svc-1"} RANGE))",
             R"(bytes_rate({app=~"svc-.*"} RANGE))",
             R"(sum by (app) (sum_over_time({app=~"svc-.*"} | json | unwrap latency RANGE)))",
             R"(min_over_time({app=~"svc-.*"} | json | unwrap latency RANGE) by (level))",
             R"(max_over_time({app=~"svc-.*"} | json | unwrap latency RANGE) by (app))",
             R"(sum by (app) (rate({app=~"svc-.*"} | json | unwrap latency RANGE)))",
         }) {
      std::string query = q;
      query.replace(query.find("RANGE"), 5, r);
      ExpectSameAsOnePass(query, instant);
    }
  }
}

TEST_F(ShardedRangeTest, CountsMatchBruteForce) {
  auto r = Run(R"(sum(count_over_time({app=~"svc-.*"} |= "error" [5m])))", 3, false);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->series.size(), 1u);
  std::map<int64_t, double> got;
  for (const Point& p : r->series[0].points)
    got[p.timestamp_ns] = p.value;
  for (int64_t t = 600 * kSec; t <= 7200 * kSec; t += 70 * kSec) {
    int n = 0;
    for (int64_t ts : error_ts_)
      n += ts > t - 300 * kSec && ts <= t;
    EXPECT_EQ(got.count(t) ? got[t] : 0, n) << t;
  }
  // Every line of the scanned span (first window's start, last step] is processed, also those
  // the pushed-down filter dropped in storage.
  int64_t lines = 0, bytes = 0;
  for (const auto& [ts, size] : lines_) {
    if (ts > 300 * kSec && ts <= 7200 * kSec) {
      ++lines;
      bytes += size;
    }
  }
  EXPECT_EQ(r->stats.lines_processed, lines);
  EXPECT_EQ(r->stats.bytes_processed, bytes);
  // The windows (step 70 s < range 5 m) cover (300 s, last step]: every matching line in it is
  // kept once, however many windows hold it.
  const int64_t last_step = 600 * kSec + (6600 * kSec / (70 * kSec)) * 70 * kSec;
  EXPECT_EQ(r->stats.post_filter_lines,
            std::count_if(error_ts_.begin(), error_ts_.end(),
                          [&](int64_t ts) { return ts > 300 * kSec && ts <= last_step; }));
  EXPECT_LE(lines - q_.lines_filtered_in_storage, static_cast<int64_t>(error_ts_.size()))
      << "the filter was not pushed down";
}

TEST_F(ShardedRangeTest, PipelineErrorAndUnmergeableOps) {
  // An unparsable line late in the data: every shard count agrees it fails, as one pass does.
  q_.Add(Labels::FromPairs({{"app", "svc-0"}}), 7000 * kSec, "not json");
  auto one = Run(R"(count_over_time({app=~"svc-.*"} | json [2h]))", 1, true);
  auto sharded = Run(R"(count_over_time({app=~"svc-.*"} | json [2h]))", 3, true);
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(sharded.status().ToString(), one.status().ToString());
  // avg_over_time does not merge by sum / min / max: one pass, one SelectLogs.
  const size_t before = q_.calls.size();
  auto avg =
      Run(R"(avg_over_time({app=~"svc-.*"} | json | __error__="" | unwrap latency [2h]))", 3, true);
  ASSERT_THAT(avg.status(), IsOk());
  EXPECT_EQ(q_.calls.size() - before, 1u);
}

}  // namespace
}  // namespace sluice::logql::test_util
