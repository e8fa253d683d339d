// Limits and step handling of Engine::Exec: series cap, points per series, step validation,
// Loki's default step, the query timeout.
#include "engine_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::logql::test_util {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

class LimitsTest : public EngineFixture {};

TEST_F(LimitsTest, SeriesLimitForInstantAndRange) {
  options_.max_series = 2;
  const std::string q = R"(count_over_time({namespace=~".+"}[5m]))";  // 3 streams
  EXPECT_THAT(Instant(q, 100).status(),
              StatusIs(StatusCode::kResourceExhausted,
                       "maximum number of series (2) reached for a single query"));
  EXPECT_THAT(Range(q, 0, 100, 10).status(),
              StatusIs(StatusCode::kResourceExhausted, "maximum number of series (2)"));
  options_.max_series = 3;
  EXPECT_THAT(Instant(q, 100).status(), IsOk());
  // The cap applies to the result, not to inner series.
  options_.max_series = 1;
  EXPECT_THAT(Instant("sum(" + q + ")", 100).status(), IsOk());
}

TEST_F(LimitsTest, PointsPerSeriesAndStep) {
  EXPECT_THAT(Range(R"(count_over_time({app="x"}[1m]))", 0, 11001, 1).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "exceeded maximum resolution of 11,000 points per time series"));
  EXPECT_THAT(Range(R"(count_over_time({app="x"}[1m]))", 0, 11000, 1).status(), IsOk());
  EXPECT_THAT(Range(R"(count_over_time({app="x"}[1m]))", 0, 100, -5).status(),
              StatusIs(StatusCode::kInvalidArgument, "zero or negative query resolution step"));
}

TEST_F(LimitsTest, DefaultStep) {
  EXPECT_EQ(Engine::DefaultStepNs(0, 100 * kSec), kSec);
  EXPECT_EQ(Engine::DefaultStepNs(0, 1000 * kSec), 4 * kSec);
  EXPECT_EQ(Engine::DefaultStepNs(0, 86400 * kSec), 345 * kSec);
  // step 0 means the default: 1000 s / 250 = 4 s -> 251 steps for a constant.
  auto r = Range("vector(1)", 0, 1000, 0);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->series.size(), 1u);
  EXPECT_EQ(r->series[0].points.size(), 251u);
  EXPECT_EQ(r->series[0].points[1].timestamp_ns, 4 * kSec);
}

TEST_F(LimitsTest, QueryTimeout) {
  options_.query_timeout_ns = 1;
  EXPECT_THAT(Instant(R"(count_over_time({app="x"}[1m]))", 60).status(),
              StatusIs(StatusCode::kDeadlineExceeded, "timed out"));
}

}  // namespace
}  // namespace sluice::logql::test_util
