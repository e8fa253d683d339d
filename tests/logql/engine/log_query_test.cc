// Log queries through Engine::Exec: pipeline results split into streams by final labels,
// limit across streams and direction, stream order, interval, instant log queries, pushdown of
// time range and line filters, and the categorize-labels fields.
#include <algorithm>
#include <string_view>
#include <vector>

#include "engine_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::logql::test_util {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

class LogQueryTest : public EngineFixture {
 protected:
  // (seconds, label string) of every entry, in result order (streams, then entries).
  static std::vector<std::pair<int64_t, std::string>> Flatten(const QueryResult& r) {
    std::vector<std::pair<int64_t, std::string>> out;
    for (const ResultStream& s : r.streams) {
      for (const ResultEntry& e : s.entries)
        out.emplace_back(e.timestamp_ns / kSec, s.labels.ToString());
    }
    return out;
  }

  static std::vector<int64_t> Times(const QueryResult& r) {
    std::vector<int64_t> t;
    for (const auto& [ts, l] : Flatten(r))
      t.push_back(ts);
    return t;
  }
};

TEST_F(LogQueryTest, JsonFilterSplitsStreamsByParsedLabels) {
  auto r = Logs(R"({service_name="order-service"} | json | level="error")");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->type, ResultType::kStreams);
  ASSERT_EQ(r->streams.size(), 2u);
  // Sorted by label string: latency="3s" < latency="500ms".
  EXPECT_EQ(
      r->streams[0].labels.ToString(),
      R"({latency="3s", level="error", msg="db timeout", namespace="prod", service_name="order-service", status="500", trace_id="def456"})");
  EXPECT_EQ(r->streams[0].entries[0].timestamp_ns, 20 * kSec);
  EXPECT_EQ(r->streams[1].entries[0].timestamp_ns, 40 * kSec);
}

TEST_F(LogQueryTest, LimitAcrossStreamsKeepsNewest) {
  auto r = Logs(R"({namespace="prod"} | json | trace_id="abc123")", 2);
  ASSERT_THAT(r.status(), IsOk());
  auto times = Times(*r);
  std::sort(times.begin(), times.end());
  EXPECT_EQ(times, (std::vector<int64_t>{15, 40}));  // of @10, @15, @40
  r = Logs(R"({namespace="prod"} | json | trace_id="abc123")", 2, Direction::kForward);
  ASSERT_THAT(r.status(), IsOk());
  times = Times(*r);
  std::sort(times.begin(), times.end());
  EXPECT_EQ(times, (std::vector<int64_t>{10, 15}));
}

TEST_F(LogQueryTest, DirectionOrdersEntriesWithinStreams) {
  auto r = Logs(R"({app="x"})", 100, Direction::kBackward);
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->streams.size(), 1u);
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{65, 55, 25, 5}));
  r = Logs(R"({app="x"})", 100, Direction::kForward);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{5, 25, 55, 65}));
  EXPECT_EQ(r->streams[0].entries[0].line, R"(level=info msg="started")");
}

TEST_F(LogQueryTest, ErrorLabelsAreReturnedAndFilterable) {
  auto r = Logs(R"({service_name="order-service"} | json | __error__!="")");
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->streams.size(), 1u);
  EXPECT_EQ(r->streams[0].labels.Get("__error__"), "JSONParserErr");
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{50}));
}

TEST_F(LogQueryTest, LineFiltersAndFormatting) {
  auto r = Logs(R"({app="x"} != "error" or "warn")");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{5}));
  r = Logs(R"({app="x"} |= "disk" or "slow")");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{65, 55}));
  r = Logs(R"({app="x"} |= "disk" | logfmt | line_format "{{.level | upper}}: {{.msg}}")");
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->streams.size(), 1u);
  EXPECT_EQ(r->streams[0].entries[0].line, "ERROR: disk full");
}

TEST_F(LogQueryTest, KeepMergesEqualLabelSets) {
  auto r = Logs(R"({app="x"} | logfmt | keep app, level)");
  ASSERT_THAT(r.status(), IsOk());
  auto flat = Flatten(*r);
  EXPECT_EQ(flat,
            (std::vector<std::pair<int64_t, std::string>>{{55, R"({app="x", level="error"})"},
                                                          {25, R"({app="x", level="error"})"},
                                                          {5, R"({app="x", level="info"})"},
                                                          {65, R"({app="x", level="warn"})"}}));
}

TEST_F(LogQueryTest, CategorizedLabels) {
  const Labels s = Labels::FromPairs({{"app", "meta"}});
  q_.Add(s, 30 * kSec, "level=warn user=ann", {Label{"trace_id", "t1"}});
  auto r = Logs(R"({app="meta"} | logfmt)");
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(r->streams.size(), 1u);
  const ResultStream& st = r->streams[0];
  EXPECT_EQ(st.labels.ToString(), R"({app="meta", level="warn", trace_id="t1", user="ann"})");
  EXPECT_EQ(st.stream_labels.ToString(), R"({app="meta"})");
  ASSERT_EQ(st.entries.size(), 1u);
  EXPECT_EQ(st.entries[0].structured_metadata, (std::vector<Label>{{"trace_id", "t1"}}));
  EXPECT_EQ(st.entries[0].parsed, (std::vector<Label>{{"level", "warn"}, {"user", "ann"}}));
  // Metadata acts as a label after the selector.
  r = Logs(R"({app="meta"} | trace_id="t1")");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{30}));
}

TEST_F(LogQueryTest, IntervalKeepsEntriesApart) {
  QueryParams p;
  p.query = R"({namespace="prod"})";
  p.start_ns = 0;
  p.end_ns = 100 * kSec;
  p.interval_ns = 20 * kSec;
  p.direction = Direction::kForward;
  auto r = Engine(&q_, options_).Exec("fake", p);
  ASSERT_THAT(r.status(), IsOk());
  auto times = Times(*r);
  std::sort(times.begin(), times.end());
  // prod entries: 10 15 20 40 45 50 70 -> 10, 40 (>= 30), 70 (>= 60).
  EXPECT_EQ(times, (std::vector<int64_t>{10, 40, 70}));
}

TEST_F(LogQueryTest, InstantLogQueryLooksBackOneHour) {
  const Labels s = Labels::FromPairs({{"app", "inst"}});
  const int64_t t = 10000;
  for (int64_t ts : {t - 3600, t - 3599, t - 10, t, t + 1})
    q_.Add(s, ts * kSec, "l");
  QueryParams p;
  p.query = R"({app="inst"})";
  p.start_ns = p.end_ns = t * kSec;
  p.instant = true;
  p.limit = 2;
  auto r = Engine(&q_, options_).Exec("fake", p);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->type, ResultType::kStreams);
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{t, t - 10}));  // newest two of (t-1h, t]
  p.direction = Direction::kForward;
  r = Engine(&q_, options_).Exec("fake", p);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{t - 3599, t - 10}));  // t-3600 is excluded
}

TEST_F(LogQueryTest, PushesDownTimeRangeAndLeadingLineFilters) {
  auto r = Logs(R"({app="x"} |= "error" | logfmt | level="error")");
  ASSERT_THAT(r.status(), IsOk());
  ASSERT_EQ(q_.calls.size(), 1u);
  EXPECT_EQ(q_.calls[0].start_ns, 0);
  EXPECT_EQ(q_.calls[0].end_ns, 100 * kSec);
  ASSERT_NE(q_.calls[0].line_filter, nullptr);
  EXPECT_EQ(q_.lines_filtered_in_storage, 1);            // "started" never reached the engine
  EXPECT_EQ(Times(*r), (std::vector<int64_t>{25, 55}));  // two streams: duration 1.5s < 300ms
  // ... but it was scanned: the stats count all four lines of app="x", as without pushdown.
  EXPECT_EQ(r->stats.lines_processed, 4);
  int64_t bytes = 0;
  for (const char* l :
       {R"(level=info msg="started")", R"(level=error msg="connection error" duration=1.5s)",
        R"(level=error msg="disk full" duration=300ms)", R"(level=warn msg="slow error path")"}) {
    bytes += static_cast<int64_t>(std::string_view(l).size());
  }
  EXPECT_EQ(r->stats.bytes_processed, bytes);
  // A metric query pushes down the window span: (start - range, end].
  q_.calls.clear();
  ASSERT_THAT(Range(R"(count_over_time({app="x"}[30s]))", 100, 200, 10).status(), IsOk());
  ASSERT_EQ(q_.calls.size(), 1u);
  EXPECT_EQ(q_.calls[0].start_ns, 70 * kSec + 1);
  EXPECT_EQ(q_.calls[0].end_ns, 200 * kSec + 1);
  EXPECT_EQ(q_.calls[0].direction, Direction::kForward);
}

TEST_F(LogQueryTest, TenantsAreSeparate) {
  q_.Add(Labels::FromPairs({{"app", "x"}}), 10 * kSec, "other tenant", {}, "t2");
  auto r = Logs(R"({app="x"})");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(Times(*r).size(), 4u);
}

TEST_F(LogQueryTest, EntriesLimitAndParseErrors) {
  EXPECT_THAT(Logs(R"({app="x"})", 5001).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "max entries limit per query exceeded, limit > max_entries_limit_per_query "
                       "(5001 > 5000)"));
  EXPECT_THAT(Logs(R"({app=~".*"})").status(),
              StatusIs(StatusCode::kInvalidArgument, "parse error"));
}

}  // namespace
}  // namespace sluice::logql::test_util
