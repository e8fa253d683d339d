#include "logql/drilldown/cardinality.h"

#include <string>

#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

TEST(CardinalityEstimatorTest, ExactWhileSmall) {
  CardinalityEstimator c;
  EXPECT_EQ(c.Estimate(), 0u);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 500; ++i)
      c.Insert("value-" + std::to_string(i));
  }
  EXPECT_EQ(c.Estimate(), 500u);
  EXPECT_FALSE(c.approximate());
  c.Insert("");
  EXPECT_EQ(c.Estimate(), 501u);
}

TEST(CardinalityEstimatorTest, SwitchesToSketchWithinErrorBounds) {
  for (int n : {2000, 20000, 200000}) {
    CardinalityEstimator c;
    for (int i = 0; i < n; ++i) {
      c.Insert("id-" + std::to_string(i));
      if (i % 3 == 0)
        c.Insert("id-" + std::to_string(i / 2));  // repeats do not count
    }
    EXPECT_TRUE(c.approximate());
    double est = static_cast<double>(c.Estimate());
    EXPECT_NEAR(est, n, n * 0.06) << n;
  }
}

}  // namespace
}  // namespace sluice::logql::drilldown
