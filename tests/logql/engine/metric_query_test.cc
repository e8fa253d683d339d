// Metric queries through Engine::Exec on the logql.md §8 data: range and vector aggregations,
// unwrap, offset, binary operators, label_replace, absent_over_time, literals, __error__ and the
// pipeline error, Grafana's volume and Save & test queries. Expected values are derived in each
// test from the lines the fixture writes (timestamps in seconds).
#include <cmath>

#include "engine_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::logql::test_util {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using M = std::map<std::string, double>;

class MetricQueryTest : public EngineFixture {};

TEST_F(MetricQueryTest, SumByOfCountOverJsonFilter) {
  // Window (0,60]: order-service errors @20, @40; payment-service error @15.
  auto r = Instant(
      R"(sum by (service_name) (count_over_time({namespace="prod"} | json | level="error" [1m])))",
      60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 2},
                             {R"({service_name="payment-service"})", 1}}));
}

TEST_F(MetricQueryTest, ErrorLabelInMetricQueryFailsOnlyWhenInWindow) {
  auto r = Instant(R"(count_over_time({service_name="order-service"} | json [1m]))", 60);
  EXPECT_THAT(r.status(), StatusIs(StatusCode::kInvalidArgument,
                                   "pipeline error: 'JSONParserErr' for series: "
                                   "'{__error__=\"JSONParserErr\""));
  EXPECT_THAT(r.status(),
              StatusIs(StatusCode::kInvalidArgument, "(e.g | __error__!=\"JSONParserErr\").\n"));
  // @30 the window (-30,30] holds only @10 and @20: one series per line.
  r = Instant(R"(count_over_time({service_name="order-service"} | json [1m]))", 30);
  ASSERT_THAT(r.status(), IsOk());
  auto v = VectorOf(*r);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(
      v[R"({latency="1s", level="info", msg="created", namespace="prod", service_name="order-service", status="200", trace_id="abc123"})"],
      1);
}

TEST_F(MetricQueryTest, ErrorFilterAndDropError) {
  auto r = Instant(
      R"(sum by (level) (count_over_time({namespace="prod"} | json | __error__="" [1m])))", 60);
  ASSERT_THAT(r.status(), IsOk());
  // error: @20 @40 @15; info: @10 @45.
  EXPECT_EQ(VectorOf(*r), (M{{R"({level="error"})", 3}, {R"({level="info"})", 2}}));
  // Grafana's log volume query: the unparsable @50 line counts, without level.
  r = Instant(
      R"(sum by (level, detected_level) (count_over_time({service_name="order-service"} | json | drop __error__ [1m])))",
      60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{"{}", 1}, {R"({level="error"})", 2}, {R"({level="info"})", 1}}));
}

TEST_F(MetricQueryTest, LineFilterCountsAndRate) {
  auto r = Instant(R"(sum by (service_name) (count_over_time({app="x"} |= "error" [5m])))", 100);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{"{}", 3}}));
  r = Instant(R"(rate({app="x"} |= "error" [1m]))", 60);  // @25 and @55 in (0,60]
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({app="x", namespace="dev"})", 2.0 / 60}}));
  r = Instant(R"(sum by (namespace) (rate({namespace="prod"}[1m])))", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({namespace="prod"})", 4.0 / 60 + 2.0 / 60}}));
  r = Instant(R"(bytes_over_time({app="x"} |= "disk" [1m]))", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r),
            (M{{R"({app="x", namespace="dev"})",
                static_cast<double>(
                    std::string(R"(level=error msg="disk full" duration=300ms)").size())}}));
}

TEST_F(MetricQueryTest, RangeQuerySteps) {
  // Windows of 30 s at 20, 40, 60, 80: error lines @25 @55 @65.
  auto r = Range(R"(count_over_time({app="x"} |= "error" [30s]))", 20, 80, 20);
  ASSERT_THAT(r.status(), IsOk());
  auto m = MatrixOf(*r);
  EXPECT_EQ(m[R"({app="x", namespace="dev"})"],
            (std::map<int64_t, double>{{40, 1}, {60, 1}, {80, 2}}));
  r = Range(R"(sum by (service_name) (count_over_time({namespace="prod"}[1m])))", 30, 90, 30);
  ASSERT_THAT(r.status(), IsOk());
  m = MatrixOf(*r);
  EXPECT_EQ(m[R"({service_name="order-service"})"],
            (std::map<int64_t, double>{{30, 2}, {60, 4}, {90, 3}}));
  EXPECT_EQ(m[R"({service_name="payment-service"})"],
            (std::map<int64_t, double>{{30, 1}, {60, 2}, {90, 1}}));
  EXPECT_EQ(r->series[0].labels.ToString(), R"({service_name="order-service"})");  // sorted
}

TEST_F(MetricQueryTest, UnwrapFunctions) {
  const std::string sel =
      R"({service_name="order-service"} | json | __error__="" | unwrap duration(latency) [1m])";
  // Latencies in (0,60]: 1s, 3s, 0.5s.
  const std::map<std::string, double> want = {{"avg_over_time", (1 + 3 + 0.5) / 3},
                                              {"max_over_time", 3},
                                              {"min_over_time", 0.5},
                                              {"first_over_time", 1},
                                              {"last_over_time", 0.5}};
  for (const auto& [fn, value] : want) {
    auto r = Instant(fn + "(" + sel + ") by (service_name)", 60);
    ASSERT_THAT(r.status(), IsOk()) << fn;
    EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", value}})) << fn;
  }
  // sum_over_time takes no trailing grouping; a parent sum gets it pushed down instead.
  auto r = Instant("sum by (service_name) (sum_over_time(" + sel + "))", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 4.5}}));
  r = Instant("quantile_over_time(0.5, " + sel + ") by (service_name)", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 1}}));
}

TEST_F(MetricQueryTest, UnwrapDropsTheUnwrappedLabel) {
  auto r = Instant(
      R"(max_over_time({service_name="order-service"} | json | __error__="" | unwrap status [1m]))",
      60);
  ASSERT_THAT(r.status(), IsOk());
  auto v = VectorOf(*r);
  ASSERT_EQ(v.size(), 3u);
  for (const auto& [labels, value] : v) {
    EXPECT_EQ(labels.find("status="), std::string::npos) << labels;
  }
  EXPECT_EQ(
      v[R"({latency="3s", level="error", msg="db timeout", namespace="prod", service_name="order-service", trace_id="def456"})"],
      500);
}

TEST_F(MetricQueryTest, RateOverUnwrappedValues) {
  // @25 duration 1.5s, @55 300ms; @5 has no duration (no sample, no error).
  auto r = Instant(R"(rate({app="x"} | logfmt | unwrap duration(duration) [1m]))", 60);
  ASSERT_THAT(r.status(), IsOk());
  auto v = VectorOf(*r);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_DOUBLE_EQ(v[R"({app="x", level="error", msg="connection error", namespace="dev"})"],
                   1.5 / 60);
  EXPECT_DOUBLE_EQ(v[R"({app="x", level="error", msg="disk full", namespace="dev"})"], 0.3 / 60);
  r = Instant(R"(sum(rate({app="x"} | logfmt | unwrap duration(duration) [1m])))", 60);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->series.size(), 1u);
  EXPECT_NEAR(r->series[0].points[0].value, 1.8 / 60, 1e-15);
}

TEST_F(MetricQueryTest, TopkBinaryOpsAndOffset) {
  auto r =
      Instant(R"(topk(1, sum by (service_name) (count_over_time({namespace="prod"}[1m]))))", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 4}}));
  r = Instant(
      R"(sum by (service_name) (count_over_time({namespace="prod"} | json | level="error" [1m])) / on(service_name) sum by (service_name) (count_over_time({namespace="prod"}[1m])))",
      60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 2.0 / 4},
                             {R"({service_name="payment-service"})", 1.0 / 2}}));
  const std::string sum = R"(sum by (service_name) (count_over_time({namespace="prod"}[1m])))";
  r = Instant(sum + " > 3", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 4}}));
  r = Instant(sum + " > bool 3", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service"})", 1},
                             {R"({service_name="payment-service"})", 0}}));
  // offset 30s at 90: window (30,60] shifted... (90-30-60, 90-30] = (0,60].
  r = Instant(R"(count_over_time({namespace="prod"}[1m] offset 30s))", 90);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({namespace="prod", service_name="order-service"})", 4},
                             {R"({namespace="prod", service_name="payment-service"})", 2}}));
  ASSERT_FALSE(r->series.empty());
  EXPECT_EQ(r->series[0].points[0].timestamp_ns, 90 * kSec);
}

TEST_F(MetricQueryTest, LabelReplaceAndAbsent) {
  auto r = Instant(
      R"(label_replace(sum by (service_name) (count_over_time({namespace="prod"}[1m])), "svc", "$1", "service_name", "(.*)-service"))",
      60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({service_name="order-service", svc="order"})", 4},
                             {R"({service_name="payment-service", svc="payment"})", 2}}));
  r = Instant(R"(absent_over_time({app="nope", env=~"p.*"}[1m]))", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{R"({app="nope"})", 1}}));
  r = Instant(R"(absent_over_time({app="x"}[1m]))", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_TRUE(r->series.empty());
}

TEST_F(MetricQueryTest, LiteralsAndVector) {
  auto r = Instant("1 + 2 * 3", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->type, ResultType::kScalar);
  EXPECT_EQ(r->scalar.value, 7);
  EXPECT_EQ(r->scalar.timestamp_ns, 60 * kSec);
  r = Instant("vector(1) + 1", 60);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(VectorOf(*r), (M{{"{}", 2}}));
  r = Instant("vector(1) / 0", 60);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->series.size(), 1u);
  EXPECT_TRUE(std::isnan(r->series[0].points[0].value));
  // A literal over a range is a one-series matrix.
  r = Range("5", 0, 40, 20);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(MatrixOf(*r)["{}"], (std::map<int64_t, double>{{0, 5}, {20, 5}, {40, 5}}));
}

TEST_F(MetricQueryTest, GrafanaSaveAndTest) {
  // GET /loki/api/v1/query?query=vector(1)%2Bvector(1)&time=4000000000 (read as seconds).
  auto r = Instant("vector(1)+vector(1)", 4000000000LL);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->type, ResultType::kVector);
  ASSERT_EQ(r->series.size(), 1u);
  EXPECT_TRUE(r->series[0].labels.empty());
  EXPECT_EQ(r->series[0].points[0].value, 2);
  EXPECT_EQ(r->series[0].points[0].timestamp_ns, 4000000000LL * kSec);
}

TEST_F(MetricQueryTest, SortKeepsValueOrderOtherwiseLabels) {
  const std::string inner = R"(count_over_time({namespace="prod"}[1m]))";
  auto r = Instant("sort_desc(" + inner + ")", 60);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->series.size(), 2u);
  EXPECT_EQ(r->series[0].points[0].value, 4);
  r = Instant("sort(" + inner + ")", 60);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->series.size(), 2u);
  EXPECT_EQ(r->series[0].points[0].value, 2);
  r = Instant(inner, 60);  // by labels: order-service < payment-service
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->series[0].labels.Get("service_name"), "order-service");
}

}  // namespace
}  // namespace sluice::logql::test_util
