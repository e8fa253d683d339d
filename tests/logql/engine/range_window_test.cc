// Tests for logql/engine/range_window.h: every range function against a brute-force reference
// that recomputes each window from its definition (t-o-R < ts <= t-o), on random samples,
// with overlapping windows, gaps between windows and offsets.
#include "logql/engine/range_window.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::logql::engine {
namespace {

using syntax::RangeOp;
constexpr int64_t kSec = 1'000'000'000;

struct TestSample {
  int series;
  int64_t ts;
  double v;
};

// Definition-level value of one window, or nullopt when empty.
std::optional<double> Reference(RangeOp op, double param, int64_t range_ns,
                                std::vector<double> vals) {
  if (vals.empty())
    return std::nullopt;
  const double n = static_cast<double>(vals.size());
  double sum = 0;
  for (double v : vals)
    sum += v;
  const double mean = sum / n;
  double var = 0;
  for (double v : vals)
    var += (v - mean) * (v - mean);
  var /= n;
  const double range_s = static_cast<double>(range_ns) / 1e9;
  switch (op) {
    case RangeOp::kCountOverTime:
      return n;
    case RangeOp::kRate:
      return n / range_s;
    case RangeOp::kSumOverTime:
      return sum;
    case RangeOp::kAvgOverTime:
      return mean;
    case RangeOp::kMinOverTime:
      return *std::min_element(vals.begin(), vals.end());
    case RangeOp::kMaxOverTime:
      return *std::max_element(vals.begin(), vals.end());
    case RangeOp::kFirstOverTime:
      return vals.front();
    case RangeOp::kLastOverTime:
      return vals.back();
    case RangeOp::kStdvarOverTime:
      return var;
    case RangeOp::kStddevOverTime:
      return std::sqrt(var);
    case RangeOp::kBytesRate:
      return sum / range_s;
    case RangeOp::kQuantileOverTime: {
      std::sort(vals.begin(), vals.end());
      const double rank = param * (n - 1);
      const size_t lo = static_cast<size_t>(std::floor(rank));
      const size_t hi = std::min(vals.size() - 1, lo + 1);
      const double w = rank - std::floor(rank);
      return vals[lo] * (1 - w) + vals[hi] * w;
    }
    default:
      return std::nullopt;
  }
}

// Runs the builder over `samples` (sorted by ts) and compares each series and step.
void CheckAgainstReference(RangeOp op, double param, int64_t range_ns, int64_t offset_ns,
                           const StepGrid& grid, const std::vector<TestSample>& samples) {
  RangeSpec spec{op, false, param, range_ns, offset_ns};
  RangeVectorBuilder b(spec, grid);
  for (const TestSample& s : samples) {
    int64_t first, last;
    if (!b.StepsFor(s.ts, &first, &last))
      continue;
    Labels l = Labels::FromPairs({{"s", std::to_string(s.series)}});
    int64_t id = b.Find(s.series);
    if (id < 0)
      id = b.AddSeries(s.series, l);
    b.Add(static_cast<uint32_t>(id), first, last, s.v, s.ts);
  }
  StepMatrix m = b.Finish();
  ASSERT_EQ(m.steps.size(), static_cast<size_t>(grid.size()));
  int points = 0;
  for (int64_t k = 0; k < grid.size(); ++k) {
    const int64_t t = grid.TimeAt(k);
    std::map<int, std::vector<double>> windows;
    for (const TestSample& s : samples) {
      if (s.ts > t - offset_ns - range_ns && s.ts <= t - offset_ns)
        windows[s.series].push_back(s.v);
    }
    std::map<int, double> got;
    for (const StepSample& x : m.steps[k]) {
      got[std::stoi(std::string(m.table.at(x.series).Get("s")))] = x.value;
    }
    ASSERT_EQ(got.size(), windows.size()) << "step " << k;
    for (auto& [series, vals] : windows) {
      const double want = *Reference(op, param, range_ns, vals);
      ASSERT_TRUE(got.count(series)) << "step " << k << " series " << series;
      EXPECT_NEAR(got[series], want, 1e-9 * std::max(1.0, std::fabs(want)))
          << syntax::RangeOpName(op) << " step " << k << " series " << series;
      ++points;
    }
  }
  EXPECT_GT(points, 0);
}

std::vector<TestSample> RandomSamples(uint32_t seed, int n, int64_t from, int64_t to) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> ts(from, to);
  std::uniform_int_distribution<int> series(0, 3);
  std::uniform_real_distribution<double> val(-50, 100);
  std::vector<TestSample> out;
  for (int i = 0; i < n; ++i) {
    // Some timestamps on exact step boundaries, to exercise the inclusive window end.
    int64_t t = ts(rng);
    if (i % 7 == 0)
      t = t / (10 * kSec) * (10 * kSec);
    out.push_back({series(rng), t, std::round(val(rng) * 4) / 4});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TestSample& a, const TestSample& b) { return a.ts < b.ts; });
  return out;
}

class RangeWindowTest : public ::testing::TestWithParam<RangeOp> {};

TEST_P(RangeWindowTest, MatchesReferenceForOverlapGapAndOffset) {
  const RangeOp op = GetParam();
  const double phi = 0.9;
  const auto samples = RandomSamples(42 + static_cast<int>(op), 400, 0, 600 * kSec);
  // Overlapping windows (step < range).
  CheckAgainstReference(op, phi, 60 * kSec, 0, StepGrid{60 * kSec, 600 * kSec, 10 * kSec}, samples);
  // Gaps (step > range).
  CheckAgainstReference(op, phi, 20 * kSec, 0, StepGrid{30 * kSec, 600 * kSec, 50 * kSec}, samples);
  // Offset shifts every window back.
  CheckAgainstReference(op, phi, 30 * kSec, 45 * kSec, StepGrid{100 * kSec, 650 * kSec, 30 * kSec},
                        samples);
  // Instant query: one window covering most of the data.
  CheckAgainstReference(op, phi, 550 * kSec, 0, StepGrid{590 * kSec, 590 * kSec, 1}, samples);
}

INSTANTIATE_TEST_SUITE_P(
    AllOps, RangeWindowTest,
    ::testing::Values(RangeOp::kCountOverTime, RangeOp::kRate, RangeOp::kSumOverTime,
                      RangeOp::kAvgOverTime, RangeOp::kMinOverTime, RangeOp::kMaxOverTime,
                      RangeOp::kFirstOverTime, RangeOp::kLastOverTime, RangeOp::kStdvarOverTime,
                      RangeOp::kStddevOverTime, RangeOp::kQuantileOverTime, RangeOp::kBytesRate),
    [](const auto& info) { return std::string(syntax::RangeOpName(info.param)); });

TEST(RangeWindow, WindowIsOpenAtStartAndClosedAtEnd) {
  RangeSpec spec{RangeOp::kCountOverTime, false, 0, 10 * kSec, 0};
  RangeVectorBuilder b(spec, StepGrid{10 * kSec, 30 * kSec, 10 * kSec});
  int64_t first, last;
  ASSERT_TRUE(b.StepsFor(10 * kSec, &first, &last));  // (0,10] and (10,20]? no: only step 10
  EXPECT_EQ(first, 0);
  EXPECT_EQ(last, 0);
  ASSERT_TRUE(b.StepsFor(10 * kSec + 1, &first, &last));
  EXPECT_EQ(first, 1);
  EXPECT_EQ(last, 1);
  EXPECT_FALSE(b.StepsFor(0, &first, &last));  // t=10's window excludes 0
  EXPECT_FALSE(b.StepsFor(30 * kSec + 1, &first, &last));
}

TEST(RangeWindow, RateOverUnwrappedValuesIsSumOverRange) {
  RangeSpec spec{RangeOp::kRate, true, 0, 60 * kSec, 0};
  WindowAccumulator acc;
  acc.Add(spec, 5 * kSec, 1.5);
  acc.Add(spec, 25 * kSec, 0.3);
  EXPECT_DOUBLE_EQ(acc.Value(spec, 60 * kSec), 1.8 / 60);
}

TEST(RangeWindow, RateCounterHandlesResetsAndExtrapolates) {
  RangeSpec spec{RangeOp::kRateCounter, true, 0, 60 * kSec, 0};
  // Evenly spaced every 10 s from 10 to 50, reset after 30: 0 10 20 | 5 15.
  // Increase = (15 - 0) + 20 (value before the reset) = 35 over 40 s sampled.
  // Start gap 10 s < 1.1*10 so extrapolate fully to start... but zero point: first value 0
  // gives durationToZero = 0, so no start extrapolation; end gap 10 s -> extrapolate 10 s.
  WindowAccumulator acc;
  const double vals[] = {0, 10, 20, 5, 15};
  for (int i = 0; i < 5; ++i)
    acc.Add(spec, (10 + 10 * i) * kSec, vals[i]);
  EXPECT_DOUBLE_EQ(acc.Value(spec, 60 * kSec), 35.0 * (50.0 / 40.0) / 60.0);
  WindowAccumulator one;
  one.Add(spec, 10 * kSec, 3);
  EXPECT_EQ(one.Value(spec, 60 * kSec), 0);  // fewer than two samples
}

TEST(RangeWindow, QuantileEdgeCases) {
  std::vector<double> v = {3, 1, 2};
  EXPECT_EQ(Quantile(0.5, &v), 2);
  EXPECT_TRUE(std::isinf(Quantile(-1, &v)) && Quantile(-1, &v) < 0);
  EXPECT_TRUE(std::isinf(Quantile(2, &v)) && Quantile(2, &v) > 0);
  std::vector<double> empty;
  EXPECT_TRUE(std::isnan(Quantile(0.5, &empty)));
}

TEST(RangeWindow, AbsentOverTimeMarksEmptySteps) {
  RangeSpec spec{RangeOp::kAbsentOverTime, false, 0, 10 * kSec, 0};
  RangeVectorBuilder b(spec, StepGrid{10 * kSec, 40 * kSec, 10 * kSec});
  int64_t first, last;
  ASSERT_TRUE(b.StepsFor(15 * kSec, &first, &last));
  b.Add(b.AddSeries(1, Labels()), first, last, 1, 15 * kSec);
  StepMatrix m = b.Finish(Labels::FromPairs({{"app", "nope"}}));
  ASSERT_EQ(m.steps.size(), 4u);
  EXPECT_EQ(m.steps[0].size(), 1u);
  EXPECT_EQ(m.steps[1].size(), 0u);  // (10,20] holds 15
  EXPECT_EQ(m.steps[2].size(), 1u);
  EXPECT_EQ(m.steps[3].size(), 1u);
  EXPECT_EQ(m.table.at(m.steps[0][0].series).ToString(), R"({app="nope"})");
}

}  // namespace
}  // namespace sluice::logql::engine
