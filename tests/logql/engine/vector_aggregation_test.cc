// Tests for logql/engine/vector_aggregation.h: each aggregation on random vectors against
// values recomputed in the test, by / without grouping, and topk/bottomk/sort sets and order.
#include "logql/engine/vector_aggregation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace sluice::logql::engine {
namespace {

using syntax::Grouping;
using syntax::VectorOp;

// 12 series {level, pod} over 3 steps with random values; some series missing at some steps.
StepMatrix RandomMatrix(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> val(0, 100);
  StepMatrix m(3);
  const char* levels[] = {"info", "warn", "error"};
  for (int s = 0; s < 3; ++s) {
    for (int l = 0; l < 3; ++l) {
      for (int p = 0; p < 4; ++p) {
        if ((s + l + p) % 5 == 0)
          continue;
        const uint32_t id = m.table.Intern(
            Labels::FromPairs({{"level", levels[l]}, {"pod", "p" + std::to_string(p)}}));
        m.steps[s].push_back({id, std::round(val(rng))});
      }
    }
  }
  return m;
}

// group key -> values at step s, by the label `by`.
std::map<std::string, std::vector<double>> GroupBy(const StepMatrix& m, size_t s,
                                                   const std::string& by) {
  std::map<std::string, std::vector<double>> g;
  for (const auto& x : m.steps[s])
    g[std::string(m.table.at(x.series).Get(by))].push_back(x.value);
  return g;
}

std::map<std::string, double> ResultBy(const StepMatrix& m, size_t s, const std::string& by) {
  std::map<std::string, double> r;
  for (const auto& x : m.steps[s]) {
    const Labels& l = m.table.at(x.series);
    EXPECT_EQ(l.size(), 1u) << l.ToString();
    r[std::string(l.Get(by))] = x.value;
  }
  return r;
}

TEST(VectorAggregation, ByLevelMatchesRecomputedValues) {
  const StepMatrix in = RandomMatrix(7);
  const Grouping by{false, {"level"}};
  for (VectorOp op : {VectorOp::kSum, VectorOp::kAvg, VectorOp::kCount, VectorOp::kMin,
                      VectorOp::kMax, VectorOp::kStdvar, VectorOp::kStddev}) {
    const StepMatrix out = AggregateVector(op, by, std::nullopt, in);
    for (size_t s = 0; s < 3; ++s) {
      auto got = ResultBy(out, s, "level");
      auto groups = GroupBy(in, s, "level");
      ASSERT_EQ(got.size(), groups.size());
      for (auto& [level, vals] : groups) {
        double sum = 0;
        for (double v : vals)
          sum += v;
        const double n = static_cast<double>(vals.size()), mean = sum / n;
        double var = 0;
        for (double v : vals)
          var += (v - mean) * (v - mean);
        var /= n;
        double want = 0;
        switch (op) {
          case VectorOp::kSum:
            want = sum;
            break;
          case VectorOp::kAvg:
            want = mean;
            break;
          case VectorOp::kCount:
            want = n;
            break;
          case VectorOp::kMin:
            want = *std::min_element(vals.begin(), vals.end());
            break;
          case VectorOp::kMax:
            want = *std::max_element(vals.begin(), vals.end());
            break;
          case VectorOp::kStdvar:
            want = var;
            break;
          default:
            want = std::sqrt(var);
            break;
        }
        EXPECT_NEAR(got[level], want, 1e-9 * std::max(1.0, want))
            << syntax::VectorOpName(op) << " " << level << " step " << s;
      }
    }
  }
}

TEST(VectorAggregation, WithoutDropsOnlyTheNamedLabels) {
  const StepMatrix in = RandomMatrix(3);
  const StepMatrix out =
      AggregateVector(VectorOp::kSum, Grouping{true, {"level"}}, std::nullopt, in);
  for (size_t s = 0; s < 3; ++s) {
    auto got = ResultBy(out, s, "pod");
    auto want = GroupBy(in, s, "pod");
    ASSERT_EQ(got.size(), want.size());
    for (auto& [pod, vals] : want) {
      double sum = 0;
      for (double v : vals)
        sum += v;
      EXPECT_DOUBLE_EQ(got[pod], sum);
    }
  }
}

TEST(VectorAggregation, NoGroupingIsOneEmptyGroup) {
  const StepMatrix in = RandomMatrix(5);
  const StepMatrix out = AggregateVector(VectorOp::kCount, std::nullopt, std::nullopt, in);
  for (size_t s = 0; s < 3; ++s) {
    ASSERT_EQ(out.steps[s].size(), 1u);
    EXPECT_TRUE(out.table.at(out.steps[s][0].series).empty());
    EXPECT_EQ(out.steps[s][0].value, static_cast<double>(in.steps[s].size()));
  }
}

TEST(VectorAggregation, TopkAndBottomkKeepTheExtremeSeriesPerGroup) {
  const StepMatrix in = RandomMatrix(11);
  for (VectorOp op : {VectorOp::kTopK, VectorOp::kBottomK, VectorOp::kApproxTopK}) {
    const StepMatrix out = AggregateVector(op, Grouping{false, {"level"}}, 2, in);
    for (size_t s = 0; s < 3; ++s) {
      for (auto& [level, vals] : GroupBy(in, s, "level")) {
        std::vector<double> sorted = vals;
        std::sort(sorted.begin(), sorted.end());
        if (op != VectorOp::kBottomK)
          std::reverse(sorted.begin(), sorted.end());
        sorted.resize(std::min<size_t>(2, sorted.size()));
        std::vector<double> got;
        for (const auto& x : out.steps[s]) {
          const Labels& l = out.table.at(x.series);
          EXPECT_TRUE(l.Has("pod")) << "topk keeps the original labels";
          if (l.Get("level") == level)
            got.push_back(x.value);
        }
        EXPECT_EQ(got, sorted) << syntax::VectorOpName(op) << " " << level;
      }
    }
  }
}

TEST(VectorAggregation, SortOrdersByValueWithNaNLast) {
  StepMatrix in(1);
  const double vals[] = {3, NAN, 1, 2};
  for (int i = 0; i < 4; ++i) {
    in.steps[0].push_back(
        {in.table.Intern(Labels::FromPairs({{"i", std::to_string(i)}})), vals[i]});
  }
  StepMatrix asc = AggregateVector(VectorOp::kSort, std::nullopt, std::nullopt, in);
  StepMatrix desc = AggregateVector(VectorOp::kSortDesc, std::nullopt, std::nullopt, in);
  ASSERT_EQ(asc.steps[0].size(), 4u);
  EXPECT_EQ(asc.steps[0][0].value, 1);
  EXPECT_EQ(asc.steps[0][2].value, 3);
  EXPECT_TRUE(std::isnan(asc.steps[0][3].value));
  EXPECT_EQ(desc.steps[0][0].value, 3);
  EXPECT_EQ(desc.steps[0][2].value, 1);
  EXPECT_TRUE(std::isnan(desc.steps[0][3].value));
}

TEST(VectorAggregation, GroupLabels) {
  const Labels l = Labels::FromPairs({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  EXPECT_EQ(GroupLabels(l, Grouping{false, {"a", "c", "zz"}}).ToString(), R"({a="1", c="3"})");
  EXPECT_EQ(GroupLabels(l, Grouping{true, {"a"}}).ToString(), R"({b="2", c="3"})");
  EXPECT_EQ(GroupLabels(l, Grouping{true, {}}).ToString(), l.ToString());
  EXPECT_EQ(GroupLabels(l, std::nullopt).ToString(), "{}");
}

}  // namespace
}  // namespace sluice::logql::engine
