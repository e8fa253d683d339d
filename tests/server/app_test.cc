// Handlers end to end through App::Handle (router + handlers + storage facade + engine), with
// no sockets.
#include "server/app.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "server/storage.h"
#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-app-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_.string();
    config_.store.background_flush = false;
  }

  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    auto app = App::Start(config_, /*listen=*/false);
    ASSERT_THAT(app, IsOk());
    app_ = std::move(*app);
  }

  HttpResponse Get(const std::string& path, KeyValues params = {}, KeyValues headers = {}) {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.params = std::move(params);
    r.headers = std::move(headers);
    return app_->Handle(std::move(r));
  }

  HttpResponse PushJson(const std::string& body, const std::string& tenant = "") {
    HttpRequest r;
    r.method = "POST";
    r.path = "/loki/api/v1/push";
    r.headers = {{"content-type", "application/json"}};
    if (!tenant.empty())
      r.headers.emplace_back("x-scope-orgid", tenant);
    r.body = body;
    return app_->Handle(std::move(r));
  }

  std::string Body(int64_t ts, const std::string& app, const std::string& line) {
    return R"({"streams":[{"stream":{"app":")" + app + R"("},"values":[[")" + std::to_string(ts) +
           R"(",")" + line + R"("]]}]})";
  }

  int64_t now_ = Clock::Default()->NowNanos();
  std::filesystem::path dir_;
  ServerConfig config_;
  std::unique_ptr<App> app_;
};

TEST_F(AppTest, PushThenQueryRangeJson) {
  Start();
  ASSERT_EQ(PushJson(Body(now_ - kNanosPerSecond, "api", "hello")).status, 204);
  HttpResponse r = Get("/loki/api/v1/query_range", {{"query", R"({app="api"})"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=UTF-8");
  EXPECT_NE(r.body.find(R"("resultType":"streams")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("[\"" + std::to_string(now_ - kNanosPerSecond) + "\",\"hello\"]"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("stats":{"summary":)"), std::string::npos);
}

TEST_F(AppTest, CategorizeLabelsHeaderIsHonouredFully) {
  Start();
  ASSERT_EQ(PushJson(Body(now_ - kNanosPerSecond, "api", "level=error boom")).status, 204);
  HttpResponse r = Get("/loki/api/v1/query_range", {{"query", R"({app="api"})"}},
                       {{"x-loki-response-encoding-flags", "categorize-labels"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("encodingFlags":["categorize-labels"])"), std::string::npos);
  EXPECT_NE(r.body.find(R"("stream":{"app":"api","service_name":"api"})"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"({"structuredMetadata":{"detected_level":"error"}})"), std::string::npos)
      << r.body;
}

TEST_F(AppTest, SaveAndTestQuery) {
  Start();
  HttpResponse r =
      Get("/loki/api/v1/query",
          {{"direction", "backward"}, {"query", "vector(1)+vector(1)"}, {"time", "4000000000"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      r.body.substr(0, r.body.find(",\"stats\"")),
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[4000000000,"2"]}])");
}

TEST_F(AppTest, LabelsValuesSeriesFromIndexAndHead) {
  Start();
  ASSERT_EQ(PushJson(Body(now_ - kNanosPerSecond, "api", "a")).status, 204);
  ASSERT_EQ(PushJson(Body(now_ - kNanosPerSecond, "web", "b")).status, 204);
  EXPECT_EQ(Get("/loki/api/v1/labels").body,
            R"({"status":"success","data":["app","service_name"]})");
  EXPECT_EQ(Get("/loki/api/v1/label/app/values").body,
            R"({"status":"success","data":["api","web"]})");
  EXPECT_EQ(Get("/loki/api/v1/label/app/values", {{"query", R"({app=~"w.+"})"}}).body,
            R"({"status":"success","data":["web"]})");
  EXPECT_EQ(
      Get("/loki/api/v1/series", {{"match[]", R"({app="api"})"}, {"match[]", R"({app="web"})"}})
          .body,
      R"({"status":"success","data":[{"app":"api","service_name":"api"},{"app":"web","service_name":"web"}]})");
  // After a flush the same answers come from chunks + index alone.
  ASSERT_THAT(app_->storage()->store()->FlushAll(), IsOk());
  EXPECT_EQ(Get("/loki/api/v1/label/app/values").body,
            R"({"status":"success","data":["api","web"]})");
  HttpResponse q =
      Get("/loki/api/v1/query_range", {{"query", R"({app=~".+"})"}, {"direction", "forward"}});
  EXPECT_NE(q.body.find(R"("a"]]})"), std::string::npos) << q.body;
  EXPECT_NE(q.body.find(R"("b"]]})"), std::string::npos) << q.body;
}

TEST_F(AppTest, TenantsAndAuth) {
  config_.auth_enabled = true;
  Start();
  HttpResponse r = PushJson(Body(now_ - kNanosPerSecond, "api", "x"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, "no org id");
  EXPECT_EQ(PushJson(Body(now_ - kNanosPerSecond, "api", "x"), "t1").status, 204);
  EXPECT_EQ(Get("/loki/api/v1/labels", {}, {{"x-scope-orgid", "t1"}}).body,
            R"({"status":"success","data":["app","service_name"]})");
  EXPECT_EQ(Get("/loki/api/v1/labels", {}, {{"x-scope-orgid", "t2"}}).body,
            R"({"status":"success","data":[]})");
  EXPECT_EQ(Get("/loki/api/v1/labels", {}, {{"x-scope-orgid", "bad/tenant"}}).status, 400);
}

TEST_F(AppTest, QueryErrorsArePlainText400) {
  Start();
  HttpResponse r = Get("/loki/api/v1/query_range", {{"query", "{app="}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_NE(r.body.find("parse error"), std::string::npos) << r.body;
  r = Get("/loki/api/v1/query_range",
          {{"query", R"({app="x"})"}, {"start", "1000000000"}, {"end", "1900000000"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("the query time range exceeds the limit (query length: "),
            std::string::npos)
      << r.body;
  r = Get("/loki/api/v1/query_range", {{"query", R"({app="x"})"}, {"step", "0"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("zero or negative query resolution step"), std::string::npos) << r.body;
}

TEST_F(AppTest, ReadyMetricsBuildInfo) {
  Start();
  EXPECT_EQ(Get("/ready").status, 200);
  ASSERT_EQ(PushJson(Body(now_ - kNanosPerSecond, "api", "x"), "acme").status, 204);
  HttpResponse m = Get("/metrics");
  EXPECT_NE(m.body.find("sluice_distributor_lines_received_total{tenant=\"acme\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("sluice_wal_syncs_total"), std::string::npos);
  EXPECT_NE(Get("/loki/api/v1/status/buildinfo").body.find("\"version\":\"0.1.0\""),
            std::string::npos);
  ASSERT_THAT(app_->Shutdown(), IsOk());
  EXPECT_EQ(Get("/ready").status, 503);
}

TEST_F(AppTest, DataSurvivesReopen) {
  Start();
  ASSERT_EQ(PushJson(Body(now_ - kNanosPerSecond, "api", "persisted")).status, 204);
  ASSERT_THAT(app_->Shutdown(), IsOk());
  app_.reset();
  Start();
  HttpResponse r = Get("/loki/api/v1/query_range", {{"query", R"({app="api"})"}});
  EXPECT_NE(r.body.find("persisted"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace sluice::server
