// The Grafana / Drilldown endpoints through the router over a real Storage and Engine: exact
// response bodies for what Grafana and Logs Drilldown read.
#include "server/grafana_handlers.h"

#include "tests/server/grafana_test_fixture.h"

namespace sluice::server {
namespace {

class GrafanaHandlersTest : public GrafanaFixture {
 protected:
  void LoadApiAndWeb() {
    Append(Labels::FromPairs({{"app", "api"}, {"env", "prod"}, {"pod", "11"}}),
           {E(10, "status=200 path=/a took=5ms", {{"detected_level", "info"}}),
            E(20, "status=404 path=/b took=7ms", {{"detected_level", "warn"}}),
            E(30, "status=200 path=/a took=1.5s", {{"detected_level", "info"}})});
    Append(Labels::FromPairs({{"app", "web"}, {"env", "prod"}, {"pod", "12"}}),
           {E(15, R"({"msg":"page rendered","user":{"id":7}})", {{"detected_level", "info"}})});
  }
};

TEST_F(GrafanaHandlersTest, IndexStatsIsABareObject) {
  LoadApiAndWeb();
  HttpResponse r = Get("/loki/api/v1/index/stats", Range({{"query", R"({app="api"})"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=UTF-8");
  // Bytes: lines (27 + 27 + 28) plus structured metadata (3 x 18); nothing flushed: no chunks.
  EXPECT_EQ(r.body, R"({"streams":1,"chunks":0,"entries":3,"bytes":136})");
  r = Get("/loki/api/v1/index/stats", Range({{"query", R"({app="none"})"}}));
  EXPECT_EQ(r.body, R"({"streams":0,"chunks":0,"entries":0,"bytes":0})");
  r = Get("/loki/api/v1/index/stats", Range({{"query", R"({app="api"} |= "x")"}}));
  EXPECT_EQ(r.body, R"({"streams":1,"chunks":0,"entries":3,"bytes":136})");
  EXPECT_EQ(Get("/loki/api/v1/index/stats", Range({{"query", "{app="}})).status, 400);
}

TEST_F(GrafanaHandlersTest, VolumeGroupsBySelectorOrTargetLabels) {
  LoadApiAndWeb();
  const std::string end_s = std::to_string(kBaseNs / kNanosPerSecond + 3600);
  HttpResponse r =
      Get("/loki/api/v1/index/volume", Range({{"query", R"({app=~".+"})"}, {"limit", "5000"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"vector","result":[)"
                    R"({"metric":{"app":"api"},"value":[)" +
                        end_s +
                        R"(,"136"]},)"
                        R"({"metric":{"app":"web"},"value":[)" +
                        end_s + R"(,"57"]}],"stats":{}}})");
  r = Get("/loki/api/v1/index/volume",
          Range({{"query", R"({app=~".+"})"}, {"targetLabels", "env"}}));
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"vector","result":[)"
                    R"({"metric":{"env":"prod"},"value":[)" +
                        end_s + R"(,"193"]}],"stats":{}}})");
  r = Get("/loki/api/v1/index/volume",
          Range({{"query", R"({env="prod"})"}, {"aggregateBy", "labels"}, {"limit", "1"}}));
  // Every label name counts the same bytes; ties go to the name: app.
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"vector","result":[)"
                    R"({"metric":{"app":""},"value":[)" +
                        end_s + R"(,"193"]}],"stats":{}}})");
  EXPECT_EQ(
      Get("/loki/api/v1/index/volume", Range({{"query", "{env=\"prod\"}"}, {"aggregateBy", "x"}}))
          .body,
      "invalid aggregation option");
  EXPECT_EQ(Get("/loki/api/v1/index/volume", Range({})).status, 400);
}

TEST_F(GrafanaHandlersTest, VolumeRangeIsAMatrix) {
  LoadApiAndWeb();
  HttpResponse r = Get("/loki/api/v1/index/volume_range",
                       Range({{"query", R"({app="api"})"}, {"step", "3600"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"matrix","result":[)"
                    R"({"metric":{"app":"api"},"values":[[)" +
                        std::to_string(kBaseNs / kNanosPerSecond + 3600) +
                        R"(,"136"]]}],"stats":{}}})");
  EXPECT_EQ(
      Get("/loki/api/v1/index/volume_range", Range({{"query", R"({app="api"})"}, {"step", "0.1"}}))
          .status,
      400);  // 36000 points
}

TEST_F(GrafanaHandlersTest, DetectedLabels) {
  LoadApiAndWeb();
  HttpResponse r = Get("/loki/api/v1/detected_labels", Range({{"query", ""}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"detectedLabels":[{"label":"app","cardinality":2},)"
                    R"({"label":"env","cardinality":1},{"label":"pod","cardinality":2}]})");
  r = Get("/loki/api/v1/detected_labels", Range({{"query", R"({app="web"})"}}));
  EXPECT_EQ(r.body, R"({"detectedLabels":[{"label":"app","cardinality":1},)"
                    R"({"label":"env","cardinality":1},{"label":"pod","cardinality":1}]})");
}

TEST_F(GrafanaHandlersTest, DetectedFields) {
  LoadApiAndWeb();
  HttpResponse r =
      Get("/loki/api/v1/detected_fields", Range({{"query", R"({app="api"})"}, {"limit", "1000"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      r.body,
      R"({"fields":[{"label":"detected_level","type":"string","cardinality":2,"parsers":null},)"
      R"({"label":"path","type":"string","cardinality":2,"parsers":["logfmt"]},)"
      R"({"label":"status","type":"int","cardinality":2,"parsers":["logfmt"]},)"
      R"({"label":"took","type":"duration","cardinality":3,"parsers":["logfmt"]}],"limit":1000})");
  r = Get("/loki/api/v1/detected_fields", Range({{"query", R"({app="web"})"}}));
  EXPECT_EQ(
      r.body,
      R"({"fields":[{"label":"detected_level","type":"string","cardinality":1,"parsers":null},)"
      R"({"label":"msg","type":"string","cardinality":1,"parsers":["json"],"jsonPath":["msg"]},)"
      R"({"label":"user_id","type":"int","cardinality":1,"parsers":["json"],)"
      R"("jsonPath":["user","id"]}],"limit":1000})");
  // line_limit bounds the entries scanned (newest first): only the 30 s entry.
  r = Get("/loki/api/v1/detected_fields",
          Range({{"query", R"({app="api"})"}, {"line_limit", "1"}, {"field_limit", "2"}}));
  EXPECT_EQ(
      r.body,
      R"({"fields":[{"label":"detected_level","type":"string","cardinality":1,"parsers":null},)"
      R"({"label":"path","type":"string","cardinality":1,"parsers":["logfmt"]}],"limit":2})");
  EXPECT_EQ(Get("/loki/api/v1/detected_fields", Range({{"query", "rate({a=\"b\"}[1m])"}})).status,
            400);
  EXPECT_EQ(
      Get("/loki/api/v1/detected_fields", Range({{"query", "{app=\"api\"}"}, {"line_limit", "0"}}))
          .body,
      "limit must be a positive value");
}

TEST_F(GrafanaHandlersTest, DetectedFieldValues) {
  LoadApiAndWeb();
  HttpRequest req;
  HttpResponse r =
      Get("/loki/api/v1/detected_field/status/values", Range({{"query", R"({app="api"})"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"values":["200","404"],"limit":1000})");
  r = Get("/loki/api/v1/detected_field/detected_level/values",
          Range({{"query", R"({env="prod"})"}, {"limit", "1"}}));
  EXPECT_EQ(r.body, R"({"values":["info"],"limit":1})");
  // A query pipeline applies before the values are collected.
  r = Get("/loki/api/v1/detected_field/path/values", Range({{"query", R"({app="api"} |= "404")"}}));
  EXPECT_EQ(r.body, R"({"values":["/b"],"limit":1000})");
}

TEST_F(GrafanaHandlersTest, PatternsWithLevelsAndStepSamples) {
  std::vector<OwnedEntry> entries;
  for (int i = 0; i < 6; ++i) {
    entries.push_back(
        E(i * 20, "GET /api/items/" + std::to_string(i) + " took " + std::to_string(i + 1) + "ms",
          {{"detected_level", "info"}}));
  }
  entries.push_back(
      E(130, "connection refused to db host 10.0.0.1", {{"detected_level", "error"}}));
  Append(Labels::FromPairs({{"app", "api"}}), std::move(entries));
  HttpResponse r =
      Get("/loki/api/v1/patterns", Range({{"query", R"({app="api"})"}, {"step", "60s"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string b = std::to_string(kBaseNs / kNanosPerSecond);
  const std::string b60 = std::to_string(kBaseNs / kNanosPerSecond + 60);
  const std::string b120 = std::to_string(kBaseNs / kNanosPerSecond + 120);
  EXPECT_EQ(r.body, R"({"status":"success","data":[)"
                    R"({"pattern":"GET <_> took <_>","level":"info","samples":[[)" +
                        b + ",3],[" + b60 +
                        R"(,3]]},)"
                        R"({"pattern":"connection refused to db host 10.0.0.1","level":"error",)"
                        R"("samples":[[)" +
                        b120 + ",1]]}]}");
  r = Get("/loki/api/v1/patterns",
          Range({{"query", R"({app="api"} |= "refused")"}, {"step", "60"}}));
  EXPECT_EQ(r.body, R"({"status":"success","data":[)"
                    R"({"pattern":"connection refused to db host 10.0.0.1","level":"error",)"
                    R"("samples":[[)" +
                        b120 + ",1]]}]}");
  r = Get("/loki/api/v1/patterns", Range({{"query", R"({app="none"})"}}));
  EXPECT_EQ(r.body, R"({"status":"success","data":[]})");
  EXPECT_EQ(
      Get("/loki/api/v1/patterns", Range({{"query", R"({app="api"})"}, {"step", "0"}})).status,
      400);
}

TEST_F(GrafanaHandlersTest, DrilldownLimits) {
  HttpResponse r = Get("/loki/api/v1/drilldown-limits", {});
  ASSERT_EQ(r.status, 200) << r.body;
  for (const char* key : {R"("discover_log_levels":true)", R"("volume_enabled":true)",
                          R"("max_entries_limit_per_query":5000)", R"("max_query_length":"30d1h")",
                          R"("pattern_ingester_enabled":true)", R"("version":"sluice-)"}) {
    EXPECT_NE(r.body.find(key), std::string::npos) << key << " in " << r.body;
  }
  config_.auth_enabled = true;
  EXPECT_EQ(Get("/loki/api/v1/drilldown-limits", {}).status, 401);
}

TEST_F(GrafanaHandlersTest, FormatQuery) {
  HttpResponse r = Get("/loki/api/v1/format_query", {{"query", R"({app="api"}|="x"|json)"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":"{app=\"api\"} |= \"x\" | json"})");
  r = Get("/loki/api/v1/format_query", {{"query", "{app="}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json; charset=UTF-8");
  EXPECT_EQ(r.body.rfind(R"({"status":"invalid-query","error":"parse error)", 0), 0u) << r.body;
}

TEST_F(GrafanaHandlersTest, RulerAndPlainTail) {
  EXPECT_EQ(Get("/prometheus/api/v1/rules", {}).body,
            R"({"status":"success","data":{"groups":[]}})");
  EXPECT_EQ(Get("/prometheus/api/v1/alerts", {}).body,
            R"({"status":"success","data":{"alerts":[]}})");
  EXPECT_EQ(Get("/loki/api/v1/tail", {{"query", R"({app="api"})"}}).status, 400);
}

TEST_F(GrafanaHandlersTest, TenantsAreIsolated) {
  LoadApiAndWeb();
  Append(Labels::FromPairs({{"app", "secret"}}), {E(5, "a=1")}, "team-b");
  HttpResponse r = Get("/loki/api/v1/detected_labels", Range({{"query", R"({app="secret"})"}}));
  EXPECT_EQ(r.body, R"({"detectedLabels":[]})");
  r = Get("/loki/api/v1/detected_labels", Range({{"query", R"({app="secret"})"}}),
          {{"x-scope-orgid", "team-b"}});
  EXPECT_EQ(r.body, R"({"detectedLabels":[{"label":"app","cardinality":1}]})");
}

}  // namespace
}  // namespace sluice::server
