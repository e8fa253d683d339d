// Push in every body form, then query back exactly what was pushed: both directions, limits,
// line filters, label endpoints; restart and query again.
#include <algorithm>

#include <gtest/gtest.h>

#include "loki_test_util.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

constexpr int64_t kMs = 1'000'000;

class PushQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(tmp_.path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
    base_ = NowNs() - 10 * 60 * 1000 * kMs;  // 10 minutes ago
  }

  // Two streams with interleaved timestamps; every third line of api mentions "error".
  std::vector<TestStream> Sample() const {
    TestStream api{{{"app", "api"}, {"env", "prod"}}, {}};
    TestStream web{{{"app", "web"}, {"env", "prod"}}, {}};
    for (int i = 0; i < 30; ++i) {
      std::string line = "api line " + std::to_string(i) + (i % 3 == 0 ? " error" : " ok");
      api.entries.push_back({base_ + i * 2 * kMs, line, {}});
    }
    for (int i = 0; i < 15; ++i) {
      web.entries.push_back({base_ + (i * 4 + 1) * kMs, "web line " + std::to_string(i), {}});
    }
    return {api, web};
  }

  QueryStreams Query(const std::string& q, const std::string& dir, int limit,
                     const std::string& tenant = "") {
    QueryArgs a;
    a.query = q;
    a.start_ns = base_;
    a.end_ns = base_ + 1000 * kMs;
    a.limit = limit;
    a.direction = dir;
    a.tenant = tenant;
    return QueryRange(server_->port(), a);
  }

  // Every result stream's values are in the query's direction.
  static bool InOrder(const QueryStreams& q, bool forward) {
    for (const auto& s : q.streams) {
      if (Sorted(s.entries, forward) != s.entries)
        return false;
    }
    return true;
  }

  static std::vector<TestEntry> Sorted(std::vector<TestEntry> v, bool forward) {
    std::stable_sort(v.begin(), v.end(), [&](const TestEntry& a, const TestEntry& b) {
      return forward ? a.ts_ns < b.ts_ns : a.ts_ns > b.ts_ns;
    });
    return v;
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
  int64_t base_ = 0;
};

TEST_F(PushQueryTest, JsonPushQueriedBackInBothDirectionsWithLimits) {
  auto streams = Sample();
  HttpResult r = Push(server_->port(), "", "application/json", JsonPushBody(streams));
  ASSERT_EQ(r.status, 204) << r.body;

  QueryStreams fwd = Query(R"({app="api"})", "forward", 1000);
  ASSERT_EQ(fwd.http_status, 200) << fwd.raw;
  EXPECT_EQ(fwd.result_type, "streams");
  // Structured metadata (detected_level) may split a stored stream into several result
  // streams, so compare entries in time order and check each stream's order separately.
  EXPECT_EQ(Sorted(fwd.All(), true), streams[0].entries);
  EXPECT_TRUE(InOrder(fwd, true));
  ASSERT_FALSE(fwd.streams.empty());
  for (auto& s : fwd.streams) {
    EXPECT_EQ(s.labels["app"], "api");
    EXPECT_EQ(s.labels["env"], "prod");
    EXPECT_EQ(s.labels["service_name"], "api");  // added at ingest
  }

  QueryStreams bwd = Query(R"({app="api"})", "BACKWARD", 1000);
  EXPECT_TRUE(InOrder(bwd, false));
  EXPECT_EQ(Sorted(bwd.All(), true), streams[0].entries);

  // limit keeps the newest (backward) or oldest (forward) entries.
  QueryStreams newest = Query(R"({env="prod"})", "backward", 7);
  std::vector<TestEntry> all = streams[0].entries;
  all.insert(all.end(), streams[1].entries.begin(), streams[1].entries.end());
  std::vector<TestEntry> expect_newest = Sorted(all, false);
  expect_newest.resize(7);
  EXPECT_EQ(Sorted(newest.All(), false), expect_newest);
  QueryStreams oldest = Query(R"({env="prod"})", "forward", 7);
  std::vector<TestEntry> expect_oldest = Sorted(all, true);
  expect_oldest.resize(7);
  EXPECT_EQ(Sorted(oldest.All(), true), expect_oldest);

  // Default limit is 100; the half-open range excludes `end`.
  QueryArgs a;
  a.query = R"({app="api"})";
  a.start_ns = base_ + 2 * kMs;
  a.end_ns = base_ + 10 * kMs;
  a.direction = "forward";
  QueryStreams window = QueryRange(server_->port(), a);
  std::vector<TestEntry> in_window = Sorted(window.All(), true);
  ASSERT_EQ(in_window.size(), 4u) << window.raw;  // ts 2, 4, 6, 8 ms
  EXPECT_EQ(in_window.front().ts_ns, base_ + 2 * kMs);
  EXPECT_EQ(in_window.back().ts_ns, base_ + 8 * kMs);
}

TEST_F(PushQueryTest, LineFilters) {
  auto streams = Sample();
  ASSERT_EQ(Push(server_->port(), "", "application/json", JsonPushBody(streams)).status, 204);
  std::vector<TestEntry> errors;
  for (const auto& e : streams[0].entries) {
    if (e.line.find("error") != std::string::npos)
      errors.push_back(e);
  }
  QueryStreams q = Query(R"({app=~".+"} |= "error")", "forward", 1000);
  ASSERT_EQ(q.http_status, 200) << q.raw;
  EXPECT_EQ(Sorted(q.All(), true), errors);

  QueryStreams not_api = Query(R"({env="prod"} != "api")", "forward", 1000);
  EXPECT_EQ(Sorted(not_api.All(), true), streams[1].entries);

  QueryStreams re = Query(R"({app="api"} |~ "line 1[0-9] " != "error")", "forward", 1000);
  std::vector<TestEntry> expect;
  for (int i = 10; i < 20; ++i) {
    if (i % 3 != 0)
      expect.push_back(streams[0].entries[i]);
  }
  EXPECT_EQ(Sorted(re.All(), true), expect);

  QueryStreams none = Query(R"({app="api"} |= "no such text")", "backward", 1000);
  EXPECT_EQ(none.http_status, 200);
  EXPECT_TRUE(none.All().empty());

  // Lines dropped by a filter pushed into storage still count as processed (Grafana's query
  // inspector shows these totals).
  int64_t lines = 0, bytes = 0;
  for (const auto& s : streams) {
    for (const auto& e : s.entries) {
      ++lines;
      bytes += static_cast<int64_t>(e.line.size());
    }
  }
  QueryStreams nomatch = Query(R"({env="prod"} |= "nomatch")", "backward", 1000);
  ASSERT_EQ(nomatch.http_status, 200) << nomatch.raw;
  EXPECT_TRUE(nomatch.All().empty());
  EXPECT_NE(nomatch.raw.find("\"totalLinesProcessed\":" + std::to_string(lines) + ","),
            std::string::npos)
      << nomatch.raw;
  EXPECT_NE(nomatch.raw.find("\"totalBytesProcessed\":" + std::to_string(bytes) + ","),
            std::string::npos)
      << nomatch.raw;
  EXPECT_NE(nomatch.raw.find("\"totalPostFilterLines\":0,"), std::string::npos) << nomatch.raw;
  // totalPostFilterLines counts what the whole pipeline kept: here the lines of `re` above.
  QueryStreams kept = Query(R"({app="api"} |~ "line 1[0-9] " != "error")", "forward", 1000);
  EXPECT_NE(kept.raw.find("\"totalPostFilterLines\":" + std::to_string(expect.size()) + ","),
            std::string::npos)
      << kept.raw;
}

TEST_F(PushQueryTest, ProtobufSnappyAndGzipBodies) {
  TestStream proto{{{"job", "proto"}}, {}};
  TestStream gz{{{"job", "gzip"}}, {}};
  for (int i = 0; i < 20; ++i) {
    proto.entries.push_back({base_ + i * kMs,
                             "proto \xff bytes " + std::to_string(i),
                             {{"trace_id", "t" + std::to_string(i)}}});
    gz.entries.push_back({base_ + i * kMs, "gzip line " + std::to_string(i), {}});
  }
  HttpResult r =
      Push(server_->port(), "", "application/x-protobuf", ProtoPushBody({proto}), "snappy");
  ASSERT_EQ(r.status, 204) << r.body;
  r = Push(server_->port(), "", "application/json", Gzip(JsonPushBody({gz})), "gzip");
  ASSERT_EQ(r.status, 204) << r.body;

  QueryStreams p = Query(R"({job="proto"})", "forward", 100);
  std::vector<TestEntry> got = Sorted(p.All(), true);
  ASSERT_EQ(got.size(), 20u) << p.raw;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(got[i].ts_ns, proto.entries[i].ts_ns);
    // The invalid byte comes back as U+FFFD (JSON must be valid UTF-8).
    EXPECT_EQ(got[i].line, "proto \xef\xbf\xbd bytes " + std::to_string(i));
  }
  // Structured metadata is folded into the stream labels without categorize-labels: one
  // result stream per distinct trace_id.
  EXPECT_EQ(p.streams.size(), 20u);
  EXPECT_EQ(p.streams[0].labels["trace_id"].substr(0, 1), "t");
  QueryStreams g = Query(R"({job="gzip"})", "forward", 100);
  EXPECT_EQ(Sorted(g.All(), true), gz.entries);
}

TEST_F(PushQueryTest, LabelEndpoints) {
  ASSERT_EQ(Push(server_->port(), "", "application/json", JsonPushBody(Sample())).status, 204);
  std::string range =
      "start=" + std::to_string(base_) + "&end=" + std::to_string(base_ + 1000 * kMs);
  int status = 0;
  auto names = GetStringList(server_->port(), "/loki/api/v1/labels?" + range, "", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(names, (std::vector<std::string>{"app", "env", "service_name"}));
  // Default range (last hour) covers data pushed 10 minutes ago.
  EXPECT_EQ(GetStringList(server_->port(), "/loki/api/v1/label/app/values", ""),
            (std::vector<std::string>{"api", "web"}));
  EXPECT_EQ(GetStringList(server_->port(),
                          "/loki/api/v1/label/app/values?query=" + UrlEncode(R"({app="web"})"), ""),
            (std::vector<std::string>{"web"}));
  EXPECT_TRUE(GetStringList(server_->port(), "/loki/api/v1/label/nope/values", "").empty());
  HttpResult series = HttpRequest(server_->port(), "GET",
                                  "/loki/api/v1/series?match[]=" + UrlEncode(R"({app="api"})"));
  EXPECT_EQ(series.status, 200);
  EXPECT_EQ(series.body,
            R"({"status":"success","data":[{"app":"api","env":"prod","service_name":"api"}]})");
  HttpResult logcli = HttpRequest(server_->port(), "GET",
                                  "/loki/api/v1/series?match=" + UrlEncode(R"({app=~"w.*"})"));
  EXPECT_EQ(logcli.body,
            R"({"status":"success","data":[{"app":"web","env":"prod","service_name":"web"}]})");
  // An old range has nothing: "data":[] rather than null.
  HttpResult empty =
      HttpRequest(server_->port(), "GET", "/loki/api/v1/labels?start=1000000000&end=1000000001");
  EXPECT_EQ(empty.body, R"({"status":"success","data":[]})");
}

TEST_F(PushQueryTest, SurvivesCleanRestartAndKill) {
  auto streams = Sample();
  ASSERT_EQ(Push(server_->port(), "", "application/json", JsonPushBody(streams)).status, 204);
  EXPECT_EQ(server_->Stop(), 0) << server_->log();
  ASSERT_TRUE(server_->Start()) << server_->log();
  QueryStreams q = Query(R"({app="api"})", "forward", 1000);
  EXPECT_EQ(Sorted(q.All(), true), streams[0].entries);

  // More data, then kill -9: acknowledged entries come back from the WAL.
  TestStream more{{{"app", "api"}, {"env", "prod"}}, {}};
  for (int i = 0; i < 10; ++i)
    more.entries.push_back({base_ + (100 + i) * kMs, "after restart", {}});
  ASSERT_EQ(Push(server_->port(), "", "application/json", JsonPushBody({more})).status, 204);
  server_->Kill();
  ASSERT_TRUE(server_->Start()) << server_->log();
  std::vector<TestEntry> expect = streams[0].entries;
  expect.insert(expect.end(), more.entries.begin(), more.entries.end());
  EXPECT_EQ(Sorted(Query(R"({app="api"})", "forward", 1000).All(), true), expect);
  EXPECT_EQ(server_->Stop(), 0) << server_->log();
}

TEST_F(PushQueryTest, InstantLogQueryReturnsNewestOfLastHour) {
  auto streams = Sample();
  ASSERT_EQ(Push(server_->port(), "", "application/json", JsonPushBody(streams)).status, 204);
  int64_t t = base_ + 10 * kMs;  // entries at 0..10 ms inclusive are in (t - 1h, t]
  HttpResult r = HttpRequest(server_->port(), "GET",
                             "/loki/api/v1/query?limit=2&query=" + UrlEncode(R"({app="api"})") +
                                 "&time=" + std::to_string(t));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("resultType":"streams")"), std::string::npos);
  EXPECT_NE(r.body.find("\"" + std::to_string(t) + "\",\"api line 5 ok\""), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("api line 4 ok"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("api line 3 "), std::string::npos) << r.body;
}

}  // namespace
}  // namespace sluice::integration
