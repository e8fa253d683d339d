// Grafana's Loki datasource and Logs Drilldown against the real `sluice` binary: the request
// sequences of loki-http-api.md §5 (Save & test, Explore, log query, volume histogram, label
// browser, query builder, metric panel, Live tail, Drilldown), replayed with Grafana's
// parameters and headers on known data, checking every field Grafana reads: status,
// resultType, result shapes, encodingFlags, 3-element values, JSON numbers vs strings, stats.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "loki_test_util.h"
#include "server_process.h"
#include "ws_client.h"

namespace sluice::integration {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr int64_t kSec = 1'000'000'000;

// A parsed response body (the parser owns the document).
struct Json {
  simdjson::dom::parser parser;
  element root;
  bool ok = false;
};

std::unique_ptr<Json> Parse(const HttpResult& r) {
  auto j = std::make_unique<Json>();
  j->ok = j->parser.parse(r.body).get(j->root) == simdjson::SUCCESS;
  return j;
}

element_type TypeOf(element e) {
  return e.type();
}

bool IsNumber(element e) {
  auto t = e.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

std::string Str(element e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? std::string(s) : "<not a string>";
}

double Num(element e) {
  if (e.type() == element_type::INT64)
    return static_cast<double>(int64_t(e));
  if (e.type() == element_type::UINT64)
    return static_cast<double>(uint64_t(e));
  if (e.type() == element_type::DOUBLE)
    return double(e);
  ADD_FAILURE() << "not a number: " << simdjson::minify(e);
  return -1;
}

// A flat object of strings.
std::map<std::string, std::string> StringMap(element e) {
  std::map<std::string, std::string> out;
  object o;
  if (e.get(o) != simdjson::SUCCESS) {
    ADD_FAILURE() << "not an object: " << simdjson::minify(e);
    return out;
  }
  for (auto field : o) {
    EXPECT_EQ(TypeOf(field.value), element_type::STRING) << field.key;
    out[std::string(field.key)] = Str(field.value);
  }
  return out;
}

std::vector<std::string> Strings(element e) {
  std::vector<std::string> out;
  array a;
  if (e.get(a) != simdjson::SUCCESS) {
    ADD_FAILURE() << "not an array: " << simdjson::minify(e);
    return out;
  }
  for (auto v : a)
    out.push_back(Str(v));
  return out;
}

std::string Rfc3339(int64_t ns) {
  time_t s = ns / kSec;
  struct tm tm;
  gmtime_r(&s, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

using Params = std::vector<std::pair<std::string, std::string>>;
using Labels = std::map<std::string, std::string>;

class GrafanaContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(tmp_.path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
    now_ = NowNs();
    // Minute-aligned, 30 minutes ago: inside Grafana's "last 1 hour".
    t0_ = (now_ - 30 * 60 * kSec) / (60 * kSec) * (60 * kSec);
    start_ = now_ - 3600 * kSec;
    end_ = now_ + kSec;
    HttpResult r = Push(server_->port(), "", "application/json", JsonPushBody(Data()));
    ASSERT_EQ(r.status, 204) << r.body;
  }

  // api: logfmt lines with a trace_id, every 4th an error; web: JSON lines; worker: plain text
  // with a `level` stream label.
  std::vector<TestStream> Data() const {
    TestStream api{{{"job", "api"}, {"env", "prod"}}, {}};
    for (int i = 0; i < 20; ++i) {
      bool err = i % 4 == 0;
      std::string line = err ? "level=error msg=\"request failed\" status=500 duration=120ms "
                               "path=/login"
                             : "level=info msg=\"request ok\" status=200 duration=15ms path=/home";
      api.entries.push_back({ApiTs(i), line, {{"trace_id", "trace-" + std::to_string(i)}}});
    }
    TestStream web{{{"app", "web"}, {"env", "dev"}}, {}};
    for (int i = 0; i < 10; ++i) {
      std::string line = i % 2 == 0 ? R"({"level":"warn","msg":"slow page","latency_ms":350})"
                                    : R"({"level":"debug","msg":"render","latency_ms":12})";
      web.entries.push_back({t0_ + i * 20 * kSec + 5 * kSec, line, {}});
    }
    TestStream worker{{{"service_name", "worker"}, {"level", "error"}}, {}};
    for (int i = 0; i < 5; ++i)
      worker.entries.push_back({t0_ + i * 30 * kSec + 7 * kSec, "job 7 failed: timeout", {}});
    return {api, web, worker};
  }

  int64_t ApiTs(int i) const { return t0_ + i * 10 * kSec + 1; }

  // A GET as Grafana sends it: backend data queries carry the encoding flag and the query tags.
  HttpResult Get(const std::string& path, const Params& params, const std::string& source,
                 bool categorize = true) {
    std::string target = path;
    for (size_t i = 0; i < params.size(); ++i)
      target += (i == 0 ? "?" : "&") + params[i].first + "=" + UrlEncode(params[i].second);
    Headers h = {{"User-Agent", "Grafana/12.3.0"},
                 {"Accept-Encoding", "gzip"},
                 {"X-Query-Tags", "Source=" + source},
                 {"X-Loki-Query-Limits-Context",
                  R"({"expr":"{job=\"api\"}","from":"2026-01-01T00:00:00Z","maxLines":1000})"}};
    if (categorize)
      h.emplace_back("X-Loki-Response-Encoding-Flags", "categorize-labels");
    HttpResult r = HttpRequest(server_->port(), "GET", target, h);
    EXPECT_EQ(r.Header("content-encoding"), "") << target;
    return r;
  }

  HttpResult QueryRange(const std::string& query, const std::string& source, Params extra = {},
                        bool categorize = true) {
    Params p = {{"direction", "backward"}, {"end", std::to_string(end_)},     {"limit", "1000"},
                {"query", query},          {"start", std::to_string(start_)}, {"step", "14400ms"}};
    for (auto& [k, v] : extra) {
      auto it = std::find_if(p.begin(), p.end(), [&](const auto& kv) { return kv.first == k; });
      if (it != p.end())
        it->second = v;
      else
        p.emplace_back(k, v);
    }
    return Get("/loki/api/v1/query_range", p, source, categorize);
  }

  // Checks the envelope every data answer shares; returns data.
  static element Envelope(const Json& j, const std::string& result_type, bool categorize) {
    EXPECT_TRUE(j.ok);
    EXPECT_EQ(Str(j.root["status"]), "success");
    element data = j.root["data"];
    EXPECT_EQ(Str(data["resultType"]), result_type);
    element flags;
    bool has_flags = data["encodingFlags"].get(flags) == simdjson::SUCCESS;
    EXPECT_EQ(has_flags, categorize);
    if (has_flags) {
      EXPECT_EQ(Strings(flags), std::vector<std::string>{"categorize-labels"});
    }
    element stats;
    EXPECT_EQ(data["stats"].get(stats), simdjson::SUCCESS);
    EXPECT_EQ(TypeOf(stats), element_type::OBJECT);
    element summary;
    if (stats["summary"].get(summary) == simdjson::SUCCESS) {
      EXPECT_TRUE(IsNumber(summary["execTime"]));
      EXPECT_TRUE(IsNumber(summary["totalEntriesReturned"]));
    }
    return data;
  }

  struct Row {
    Labels stream;
    int64_t ts = 0;
    std::string line;
    Labels metadata;
    Labels parsed;
  };

  // A streams result with 3-element values (categorize) or 2-element ones; checks the types
  // and that each stream's values are in the query's direction. Rows sorted by the direction
  // over all streams (Grafana merges the streams itself).
  static std::vector<Row> Rows(element data, bool categorize, bool backward = true) {
    return RowsOf(data["result"], categorize, backward);
  }

  static std::vector<Row> RowsOf(element streams, bool categorize, bool backward) {
    std::vector<Row> rows;
    auto ordered = [backward](const Row& a, const Row& b) {
      return backward ? a.ts > b.ts : a.ts < b.ts;
    };
    for (auto s : array(streams)) {
      EXPECT_EQ(object(s).size(), 2u) << "a stream holds only stream and values";
      Labels stream = StringMap(s["stream"]);
      const size_t first = rows.size();
      for (auto v : array(s["values"])) {
        array a = v;
        EXPECT_EQ(a.size(), categorize ? 3u : 2u) << simdjson::minify(v);
        EXPECT_EQ(TypeOf(a.at(0)), element_type::STRING) << "timestamps are strings of ns";
        Row r{stream, std::stoll(Str(a.at(0))), Str(a.at(1)), {}, {}};
        if (categorize && a.size() == 3) {
          object extra = a.at(2);
          for (auto f : extra) {
            EXPECT_TRUE(f.key == "structuredMetadata" || f.key == "parsed") << f.key;
            EXPECT_GT(object(f.value).size(), 0u) << "empty keys are omitted";
          }
          element e;
          if (extra["structuredMetadata"].get(e) == simdjson::SUCCESS)
            r.metadata = StringMap(e);
          if (extra["parsed"].get(e) == simdjson::SUCCESS)
            r.parsed = StringMap(e);
        }
        rows.push_back(std::move(r));
      }
      EXPECT_TRUE(std::is_sorted(rows.begin() + first, rows.end(), ordered))
          << "values in the query's direction: " << simdjson::minify(s);
    }
    std::stable_sort(rows.begin(), rows.end(), ordered);
    return rows;
  }

  // What the index counts for an entry: line bytes plus structured metadata (names and values,
  // with the detected_level added at ingest).
  static uint64_t EntryBytes(const TestEntry& e, const std::string& level) {
    uint64_t n = e.line.size() + std::string("detected_level").size() + level.size();
    for (const auto& [k, v] : e.metadata)
      n += k.size() + v.size();
    return n;
  }

  // api: error for every 4th line, else info; web: warn / debug alternating; worker: error.
  uint64_t StreamBytes(size_t stream) const {
    const TestStream s = Data()[stream];
    uint64_t n = 0;
    for (size_t i = 0; i < s.entries.size(); ++i) {
      std::string level = stream == 0   ? (i % 4 == 0 ? "error" : "info")
                          : stream == 1 ? (i % 2 == 0 ? "warn" : "debug")
                                        : "error";
      n += EntryBytes(s.entries[i], level);
    }
    return n;
  }

  struct Series {
    Labels metric;
    std::vector<std::pair<double, double>> points;  // seconds, value
  };

  // A matrix or vector result: timestamps JSON numbers, values strings.
  static std::vector<Series> SeriesOf(element data, bool vector) {
    std::vector<Series> out;
    for (auto s : array(data["result"])) {
      Series series{StringMap(s["metric"]), {}};
      std::vector<element> points;
      if (vector) {
        points.push_back(s["value"]);
      } else {
        for (auto p : array(s["values"]))
          points.push_back(p);
      }
      for (element p : points) {
        array a = p;
        EXPECT_EQ(a.size(), 2u);
        EXPECT_TRUE(IsNumber(a.at(0))) << "sample timestamps are numbers";
        EXPECT_EQ(TypeOf(a.at(1)), element_type::STRING) << "sample values are strings";
        series.points.emplace_back(Num(a.at(0)), std::stod(Str(a.at(1))));
      }
      out.push_back(std::move(series));
    }
    return out;
  }

  static double Total(const Series& s) {
    double t = 0;
    for (const auto& [ts, v] : s.points)
      t += v;
    return t;
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
  int64_t now_ = 0, t0_ = 0, start_ = 0, end_ = 0;
};

TEST_F(GrafanaContractTest, SaveAndTest) {
  HttpResult r =
      Get("/loki/api/v1/query",
          {{"direction", "backward"}, {"query", "vector(1)+vector(1)"}, {"time", "4000000000"}},
          "grafana", /*categorize=*/false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=UTF-8");
  auto j = Parse(r);
  element data = Envelope(*j, "vector", false);
  auto series = SeriesOf(data, /*vector=*/true);
  ASSERT_EQ(series.size(), 1u) << r.body;
  EXPECT_TRUE(series[0].metric.empty());
  EXPECT_EQ(series[0].points[0].first, 4000000000.0);
  EXPECT_EQ(Str(array(data["result"]).at(0)["value"].at(1)), "2");
}

TEST_F(GrafanaContractTest, OpeningExploreListsLabelsWithoutInternalOnes) {
  HttpResult r = Get("/loki/api/v1/labels",
                     {{"start", std::to_string(start_)}, {"end", std::to_string(end_)}}, "", false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Parse(r);
  EXPECT_EQ(Str(j->root["status"]), "success");
  std::vector<std::string> names = Strings(j->root["data"]);
  EXPECT_EQ(names, (std::vector<std::string>{"app", "env", "job", "level", "service_name"}));
  // Explore asks for shard values first when splitting queries; none exist: an empty list.
  r = Get("/loki/api/v1/label/__stream_shard__/values",
          {{"start", std::to_string(start_)}, {"end", std::to_string(end_)}}, "", false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Strings(Parse(r)->root["data"]).empty());
}

TEST_F(GrafanaContractTest, LogQueryWithSizeHintAndCategorizedLabels) {
  // a. the size hint: index/stats on the selector alone, a bare object of numbers.
  HttpResult r = Get("/loki/api/v1/index/stats",
                     {{"query", R"({job="api"})"},
                      {"start", std::to_string(start_)},
                      {"end", std::to_string(end_)}},
                     "", false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto stats = Parse(r);
  for (const char* k : {"streams", "chunks", "entries", "bytes"})
    EXPECT_TRUE(IsNumber(stats->root[k])) << k << " in " << r.body;
  EXPECT_EQ(Num(stats->root["streams"]), 1);
  EXPECT_EQ(Num(stats->root["entries"]), 20);
  EXPECT_EQ(Num(stats->root["bytes"]), static_cast<double>(StreamBytes(0)));

  // b. the log query, step as Grafana sends it (integer ms).
  r = QueryRange(R"({job="api"} |= "failed")", "grafana-explore");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Parse(r);
  auto rows = Rows(Envelope(*j, "streams", true), true);
  ASSERT_EQ(rows.size(), 5u) << r.body;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int k = 16 - 4 * static_cast<int>(i);  // newest first: 16, 12, ..., 0
    EXPECT_EQ(rows[i].stream, (Labels{{"env", "prod"}, {"job", "api"}, {"service_name", "api"}}))
        << "the stream keeps only indexed labels";
    EXPECT_EQ(rows[i].ts, ApiTs(k));
    EXPECT_EQ(rows[i].metadata,
              (Labels{{"detected_level", "error"}, {"trace_id", "trace-" + std::to_string(k)}}));
    EXPECT_TRUE(rows[i].parsed.empty());
  }

  // A parser fills "parsed"; a label filter on it.
  r = QueryRange(R"({job="api"} | logfmt | status >= 500)", "grafana-explore");
  ASSERT_EQ(r.status, 200) << r.body;
  rows = Rows(Envelope(*Parse(r), "streams", true), true);
  ASSERT_EQ(rows.size(), 5u) << r.body;
  EXPECT_EQ(rows[0].parsed, (Labels{{"duration", "120ms"},
                                    {"level", "error"},
                                    {"msg", "request failed"},
                                    {"path", "/login"},
                                    {"status", "500"}}));

  // Without the header: 2-element values, metadata folded into the stream, no flag.
  r = QueryRange(R"({job="api"} |= "failed")", "grafana-explore", {}, /*categorize=*/false);
  ASSERT_EQ(r.status, 200) << r.body;
  rows = Rows(Envelope(*Parse(r), "streams", false), false);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].stream, (Labels{{"detected_level", "error"},
                                    {"env", "prod"},
                                    {"job", "api"},
                                    {"service_name", "api"},
                                    {"trace_id", "trace-16"}}));

  // e. log context of row 10: backward before T (exclusive), forward from T (inclusive).
  const std::string sel = R"({env="prod", job="api", service_name="api"})";
  const int64_t t = ApiTs(10);
  r = Get("/loki/api/v1/query_range",
          {{"direction", "backward"},
           {"end", std::to_string(t)},
           {"limit", "10"},
           {"query", sel},
           {"start", std::to_string(start_)},
           {"step", "14400ms"}},
          "grafana-logcontext");
  rows = Rows(Envelope(*Parse(r), "streams", true), true);
  ASSERT_EQ(rows.size(), 10u) << r.body;
  EXPECT_EQ(rows.front().ts, ApiTs(9));
  EXPECT_EQ(rows.back().ts, ApiTs(0));
  r = Get("/loki/api/v1/query_range",
          {{"direction", "forward"},
           {"end", std::to_string(end_)},
           {"limit", "10"},
           {"query", sel},
           {"start", std::to_string(t)},
           {"step", "14400ms"}},
          "grafana-logcontext");
  rows = Rows(Envelope(*Parse(r), "streams", true), true, /*backward=*/false);
  ASSERT_EQ(rows.size(), 10u) << r.body;
  EXPECT_EQ(rows.front().ts, ApiTs(10));
  EXPECT_EQ(rows.back().ts, ApiTs(19));
}

TEST_F(GrafanaContractTest, VolumeHistogramByLevel) {
  // Grafana's logvolhist query, step as integer ms and as plain seconds.
  for (const char* step : {"60000ms", "60"}) {
    HttpResult r = QueryRange(
        R"(sum by (level, detected_level) (count_over_time({service_name=~".+"} | drop __error__[1m])))",
        "logvolhist", {{"step", step}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = Parse(r);
    auto series = SeriesOf(Envelope(*j, "matrix", true), false);
    std::map<Labels, double> totals;
    for (const auto& s : series) {
      totals[s.metric] = Total(s);
      for (size_t i = 1; i < s.points.size(); ++i)
        EXPECT_EQ(s.points[i].first - s.points[i - 1].first, 60) << step;
    }
    EXPECT_EQ(totals,
              (std::map<Labels, double>{{{{"detected_level", "debug"}}, 5},
                                        {{{"detected_level", "error"}}, 5},
                                        {{{"detected_level", "info"}}, 15},
                                        {{{"detected_level", "warn"}}, 5},
                                        {{{"detected_level", "error"}, {"level", "error"}}, 5}}))
        << r.body;
  }
  // With a line filter, as for `{job="api"} |= "failed"`.
  HttpResult r = QueryRange(
      R"(sum by (level, detected_level) (count_over_time({job="api"} |= "failed" | drop __error__[1m])))",
      "logvolhist", {{"step", "60000ms"}});
  auto series = SeriesOf(Envelope(*Parse(r), "matrix", true), false);
  ASSERT_EQ(series.size(), 1u) << r.body;
  EXPECT_EQ(series[0].metric, (Labels{{"detected_level", "error"}}));
  EXPECT_EQ(Total(series[0]), 5);
}

TEST_F(GrafanaContractTest, LabelBrowserAndQueryBuilder) {
  const Params range = {{"start", std::to_string(start_)}, {"end", std::to_string(end_)}};
  auto list = [&](const std::string& path, Params extra = {}) {
    Params p = range;
    p.insert(p.end(), extra.begin(), extra.end());
    HttpResult r = Get(path, p, "", false);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    auto j = Parse(r);
    EXPECT_EQ(Str(j->root["status"]), "success");
    return Strings(j->root["data"]);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list("/loki/api/v1/label/env/values"), (V{"dev", "prod"}));
  EXPECT_EQ(list("/loki/api/v1/label/service_name/values"), (V{"api", "web", "worker"}));
  // With a selector: label names (lokiLabelNamesQueryApi) or series, then values.
  EXPECT_EQ(list("/loki/api/v1/labels", {{"query", R"({env="prod"})"}}),
            (V{"env", "job", "service_name"}));
  EXPECT_EQ(list("/loki/api/v1/label/service_name/values", {{"query", R"({env=~"prod|dev"})"}}),
            (V{"api", "web"}));
  EXPECT_EQ(list("/loki/api/v1/label/nope/values"), V{});
  for (const char* key : {"match[]", "match"}) {
    Params p = range;
    p.emplace_back(key, R"({env="dev"})");
    HttpResult r = Get("/loki/api/v1/series", p, "", false);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = Parse(r);
    EXPECT_EQ(Str(j->root["status"]), "success");
    array data = j->root["data"];
    ASSERT_EQ(data.size(), 1u) << r.body;
    EXPECT_EQ(StringMap(data.at(0)),
              (Labels{{"app", "web"}, {"env", "dev"}, {"service_name", "web"}}));
  }
}

TEST_F(GrafanaContractTest, MetricPanelAndLogsSample) {
  HttpResult r = QueryRange(R"(sum by (service_name) (count_over_time({env=~".+"}[1m])))",
                            "grafana-panel", {{"step", "60"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto series = SeriesOf(Envelope(*Parse(r), "matrix", true), false);
  std::map<std::string, double> totals;
  for (const auto& s : series) {
    ASSERT_EQ(s.metric.size(), 1u);
    totals[s.metric.at("service_name")] = Total(s);
    for (size_t i = 1; i < s.points.size(); ++i)
      EXPECT_GT(s.points[i].first, s.points[i - 1].first) << "oldest first";
  }
  EXPECT_EQ(totals, (std::map<std::string, double>{{"api", 20}, {"web", 10}}));

  // The logs sample of the panel's selector.
  r = QueryRange(R"({env=~".+"})", "logsample", {{"limit", "100"}});
  auto rows = Rows(Envelope(*Parse(r), "streams", true), true);
  EXPECT_EQ(rows.size(), 30u) << r.body;

  // An instant panel: time = end in ns; the vector's timestamp is that time in seconds.
  const int64_t t = now_;
  r = Get("/loki/api/v1/query",
          {{"direction", "backward"},
           {"limit", "1000"},
           {"query", R"(sum by (detected_level) (count_over_time({job="api"}[1h])))"},
           {"time", std::to_string(t)}},
          "grafana-panel");
  ASSERT_EQ(r.status, 200) << r.body;
  series = SeriesOf(Envelope(*Parse(r), "vector", true), true);
  ASSERT_EQ(series.size(), 2u) << r.body;
  std::map<std::string, double> by_level;
  for (const auto& s : series) {
    by_level[s.metric.at("detected_level")] = s.points[0].second;
    EXPECT_NEAR(s.points[0].first, static_cast<double>(t) / kSec, 0.001);
  }
  EXPECT_EQ(by_level, (std::map<std::string, double>{{"error", 5}, {"info", 15}}));
}

TEST_F(GrafanaContractTest, LiveTailStreamsPushedEntries) {
  for (bool categorize : {false, true}) {
    WsConnectOptions o;
    if (categorize)
      o.headers.emplace_back("X-Loki-Response-Encoding-Flags", "categorize-labels");
    // Grafana's Live: only `query` (server defaults for start, limit, delay_for).
    WsConnectResult c = WsConnect(
        server_->port(), "/loki/api/v1/tail?query=" + UrlEncode(R"({job="api"} |= "failed")"), o);
    ASSERT_NE(c.client, nullptr) << c.http_status << " " << c.body << " " << c.error;
    // First the matches of the last hour, oldest first.
    std::vector<Row> seen;
    const std::string line = "level=error msg=\"live failed\" n=" + std::to_string(categorize);
    auto read_until = [&](auto done) {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!done() && std::chrono::steady_clock::now() < deadline) {
        WsMessage m = c.client->Read(std::chrono::milliseconds(200));
        ASSERT_NE(m.kind, WsMessage::kClosed) << m.error;
        if (m.kind != WsMessage::kText)
          continue;
        simdjson::dom::parser p;
        element doc = p.parse(m.text);
        EXPECT_EQ(doc["dropped_entries"].error(), simdjson::NO_SUCH_FIELD) << m.text;
        element flags;
        EXPECT_EQ(doc["encodingFlags"].get(flags) == simdjson::SUCCESS, categorize) << m.text;
        // A tail frame has the streams shape of a query result.
        std::vector<Row> frame = RowsOf(doc["streams"].value(), categorize, /*backward=*/false);
        for (Row& row : frame) {
          ASSERT_EQ(row.stream.count("job"), 1u);
          seen.push_back(std::move(row));
        }
      }
    };
    // The second round also replays the line pushed live in the first.
    const size_t replayed = categorize ? 6 : 5;
    read_until([&] { return seen.size() >= replayed; });
    ASSERT_EQ(seen.size(), replayed);
    for (int i = 0; i < 5; ++i)
      EXPECT_EQ(seen[i].ts, ApiTs(4 * i));
    if (categorize) {
      EXPECT_EQ(seen[0].stream, (Labels{{"env", "prod"}, {"job", "api"}, {"service_name", "api"}}));
      EXPECT_EQ(seen[0].metadata, (Labels{{"detected_level", "error"}, {"trace_id", "trace-0"}}));
    } else {
      EXPECT_EQ(seen[0].stream.at("trace_id"), "trace-0");
    }

    // Then what is pushed now; one non-matching line is not sent.
    const auto pushed_at = std::chrono::steady_clock::now();
    TestStream s{{{"job", "api"}, {"env", "prod"}},
                 {{NowNs(), "level=info all good", {}}, {NowNs() + 1, line, {}}}};
    ASSERT_EQ(Push(server_->port(), "", "application/json", JsonPushBody({s})).status, 204);
    read_until([&] { return seen.size() >= replayed + 1; });
    ASSERT_EQ(seen.size(), replayed + 1);
    EXPECT_EQ(seen.back().line, line);
    EXPECT_LT(std::chrono::steady_clock::now() - pushed_at, std::chrono::seconds(10));
    c.client->Close();
  }
}

TEST_F(GrafanaContractTest, DrilldownServiceFieldAndPatternViews) {
  const Params rfc = {{"start", Rfc3339(start_)}, {"end", Rfc3339(end_)}};
  auto get = [&](const std::string& path, Params extra) {
    Params p = extra;
    p.insert(p.end(), rfc.begin(), rfc.end());
    HttpResult r = Get(path, p, "grafana-lokiexplore-app", false);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r;
  };
  // drilldown-limits, first.
  HttpResult r = Get("/loki/api/v1/drilldown-limits", {}, "grafana-lokiexplore-app", false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto limits = Parse(r);
  EXPECT_EQ(TypeOf(limits->root["limits"]["discover_log_levels"]), element_type::BOOL);
  EXPECT_EQ(Num(limits->root["limits"]["max_entries_limit_per_query"]), 5000);
  EXPECT_EQ(Str(limits->root["limits"]["max_query_length"]), "30d1h");
  EXPECT_TRUE(bool(limits->root["limits"]["volume_enabled"]));
  EXPECT_EQ(TypeOf(limits->root["pattern_ingester_enabled"]), element_type::BOOL);
  EXPECT_EQ(TypeOf(limits->root["version"]), element_type::STRING);

  // Landing page: services by volume, from the index; consistent with index/stats.
  r = get("/loki/api/v1/index/volume", {{"query", R"({service_name=~".+"})"}, {"limit", "5000"}});
  auto j = Parse(r);
  auto services = SeriesOf(Envelope(*j, "vector", false), true);
  std::vector<std::pair<std::string, double>> got,
      want = {{"api", static_cast<double>(StreamBytes(0))},
              {"web", static_cast<double>(StreamBytes(1))},
              {"worker", static_cast<double>(StreamBytes(2))}};
  std::sort(want.begin(), want.end(), [](auto& a, auto& b) { return a.second > b.second; });
  for (const auto& s : services) {
    EXPECT_EQ(s.metric.size(), 1u);
    got.emplace_back(s.metric.at("service_name"), s.points[0].second);
    EXPECT_NEAR(s.points[0].first, static_cast<double>(end_ / kSec), 1.0) << "timestamp = end";
  }
  EXPECT_EQ(got, want) << r.body;
  // targetLabels + aggregateBy, as the label tabs ask.
  r = get("/loki/api/v1/index/volume", {{"query", R"({service_name=~".+"})"},
                                        {"limit", "5000"},
                                        {"targetLabels", "env"},
                                        {"aggregateBy", "series"}});
  std::map<Labels, double> by_env;
  for (const auto& s : SeriesOf(Envelope(*Parse(r), "vector", false), true))
    by_env[s.metric] = s.points[0].second;
  EXPECT_EQ(by_env, (std::map<Labels, double>{{{{"env", "dev"}}, want[1].second},
                                              {{{"env", "prod"}}, want[0].second}}))
      << r.body;
  r = get("/loki/api/v1/index/volume",
          {{"query", R"({service_name=~".+"})"}, {"limit", "5000"}, {"aggregateBy", "labels"}});
  std::set<Labels> label_names;
  for (const auto& s : SeriesOf(Envelope(*Parse(r), "vector", false), true))
    label_names.insert(s.metric);
  EXPECT_EQ(label_names.count(Labels{{"env", ""}}), 1u) << r.body;
  EXPECT_EQ(label_names.count(Labels{{"service_name", ""}}), 1u) << r.body;

  // The same volume over time (volume_range, a matrix): its points add up to the vector's.
  r = get("/loki/api/v1/index/volume_range",
          {{"query", R"({service_name=~".+"})"}, {"limit", "5000"}, {"step", "60s"}});
  std::vector<std::pair<std::string, double>> over_time;
  for (const auto& s : SeriesOf(Envelope(*Parse(r), "matrix", false), false))
    over_time.emplace_back(s.metric.at("service_name"), Total(s));
  std::sort(over_time.begin(), over_time.end(),
            [](auto& a, auto& b) { return a.second > b.second; });
  EXPECT_EQ(over_time, want) << r.body;

  // Service page: detected labels, fields, one field's values, patterns.
  r = get("/loki/api/v1/detected_labels", {{"query", R"({service_name=~".+"})"}});
  std::map<std::string, double> cardinality;
  auto detected = Parse(r);
  for (auto l : array(detected->root["detectedLabels"]))
    cardinality[Str(l["label"])] = Num(l["cardinality"]);
  EXPECT_EQ(cardinality["env"], 2) << r.body;
  EXPECT_EQ(cardinality["job"], 1) << r.body;

  r = get("/loki/api/v1/detected_fields",
          {{"query", R"({service_name="api"})"}, {"limit", "1000"}});
  auto fields = Parse(r);
  EXPECT_EQ(Num(fields->root["limit"]), 1000);
  std::map<std::string, std::pair<std::string, std::string>> types;  // type, parsers
  for (auto f : array(fields->root["fields"])) {
    element parsers = f["parsers"];
    std::string p = parsers.is_null() ? "null" : simdjson::minify(parsers);
    types[Str(f["label"])] = {Str(f["type"]), p};
    EXPECT_TRUE(IsNumber(f["cardinality"]));
  }
  EXPECT_EQ(types["status"], (std::pair<std::string, std::string>{"int", R"(["logfmt"])"}));
  EXPECT_EQ(types["duration"], (std::pair<std::string, std::string>{"duration", R"(["logfmt"])"}));
  EXPECT_EQ(types["trace_id"], (std::pair<std::string, std::string>{"string", "null"}));

  r = get("/loki/api/v1/detected_field/status/values", {{"query", R"({service_name="api"})"}});
  auto values = Parse(r);
  auto v = Strings(values->root["values"]);
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<std::string>{"200", "500"}));

  r = get("/loki/api/v1/patterns", {{"query", R"({service_name="api"})"}, {"step", "30s"}});
  auto patterns = Parse(r);
  EXPECT_EQ(Str(patterns->root["status"]), "success");
  double total = 0;
  for (auto p : array(patterns->root["data"])) {
    EXPECT_EQ(TypeOf(p["pattern"]), element_type::STRING);
    for (auto s : array(p["samples"])) {
      EXPECT_EQ(TypeOf(array(s).at(0)), element_type::INT64) << "integer seconds";
      EXPECT_EQ(TypeOf(array(s).at(1)), element_type::INT64) << "integer counts";
      total += Num(array(s).at(1));
    }
  }
  EXPECT_EQ(total, 20) << r.body;

  // Drilldown's own data query, with RFC3339 times and a duration step.
  Params q = {{"query", R"(sum by (detected_level) (count_over_time({service_name="api"}[1m])))"},
              {"step", "1m"}};
  r = Get("/loki/api/v1/query_range",
          {q[0], q[1], {"start", Rfc3339(start_)}, {"end", Rfc3339(end_)}},
          "grafana-lokiexplore-app");
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, double> levels;
  for (const auto& s : SeriesOf(Envelope(*Parse(r), "matrix", true), false))
    levels[s.metric.at("detected_level")] = Total(s);
  EXPECT_EQ(levels, (std::map<std::string, double>{{"error", 5}, {"info", 15}}));
}

// A datasource configured with X-Scope-OrgID sees that tenant's data, one without it does not.
TEST_F(GrafanaContractTest, DatasourceTenantHeaderSelectsTheTenant) {
  TestStream secret{{{"job", "secret"}}, {{now_ - 60 * kSec, "level=warn hidden", {}}}};
  ASSERT_EQ(Push(server_->port(), "team-a", "application/json", JsonPushBody({secret})).status,
            204);
  const std::string target = "/loki/api/v1/label/job/values?start=" + std::to_string(start_) +
                             "&end=" + std::to_string(end_);
  EXPECT_EQ(GetStringList(server_->port(), target, ""), std::vector<std::string>{"api"});
  EXPECT_EQ(GetStringList(server_->port(), target, "team-a"), std::vector<std::string>{"secret"});
  QueryArgs q;
  q.query = R"({job="secret"})";
  q.start_ns = start_;
  q.end_ns = end_;
  EXPECT_TRUE(integration::QueryRange(server_->port(), q).All().empty());
  q.tenant = "team-a";
  ASSERT_EQ(integration::QueryRange(server_->port(), q).All().size(), 1u);
}

TEST_F(GrafanaContractTest, ErrorsArePlainTextAsLoki) {
  HttpResult r = QueryRange(R"({job="api"} |= )", "grafana-explore");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("content-type").rfind("text/plain", 0), 0u) << r.Header("content-type");
  EXPECT_NE(r.body.find("parse error"), std::string::npos) << r.body;
  // The query editor's "format query".
  r = Get("/loki/api/v1/format_query", {{"query", R"({job="api"}|="failed")"}}, "", false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(Parse(r)->root["data"]), R"({job="api"} |= "failed")");
  // The alert list: no ruler, empty groups.
  r = Get("/prometheus/api/v1/rules", {}, "", false);
  ASSERT_EQ(r.status, 200);
  auto j = Parse(r);
  EXPECT_EQ(Str(j->root["status"]), "success");
  EXPECT_EQ(array(j->root["data"]["groups"]).size(), 0u);
}

}  // namespace
}  // namespace sluice::integration
