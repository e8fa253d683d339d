// Tenants never see each other's data, on every read endpoint; auth_enabled requires the header.
#include <fstream>

#include <gtest/gtest.h>

#include "loki_test_util.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

constexpr int64_t kMs = 1'000'000;

TEST(TenantsTest, TwoTenantsAreIsolated) {
  TempDir tmp;
  ServerProcess server(tmp.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  int64_t base = NowNs() - 60'000 * kMs;
  TestStream a{{{"app", "alpha"}, {"team", "a"}}, {{base, "secret of a", {}}}};
  TestStream b{{{"app", "beta"}}, {{base + kMs, "secret of b", {}}}};
  TestStream f{{{"app", "gamma"}}, {{base + 2 * kMs, "default tenant", {}}}};
  ASSERT_EQ(Push(server.port(), "tenant-a", "application/json", JsonPushBody({a})).status, 204);
  ASSERT_EQ(Push(server.port(), "tenant-b", "application/json", JsonPushBody({b})).status, 204);
  ASSERT_EQ(Push(server.port(), "", "application/json", JsonPushBody({f})).status, 204);

  auto lines = [&](const std::string& tenant) {
    QueryArgs q;
    q.tenant = tenant;
    q.query = R"({app=~".+"})";
    q.start_ns = base;
    q.end_ns = base + 10 * kMs;
    std::vector<std::string> out;
    for (const auto& e : QueryRange(server.port(), q).All())
      out.push_back(e.line);
    return out;
  };
  EXPECT_EQ(lines("tenant-a"), std::vector<std::string>{"secret of a"});
  EXPECT_EQ(lines("tenant-b"), std::vector<std::string>{"secret of b"});
  EXPECT_EQ(lines(""), std::vector<std::string>{"default tenant"});
  EXPECT_EQ(lines("fake"), std::vector<std::string>{"default tenant"});
  EXPECT_TRUE(lines("tenant-c").empty());

  EXPECT_EQ(GetStringList(server.port(), "/loki/api/v1/labels", "tenant-b"),
            (std::vector<std::string>{"app", "service_name"}));
  EXPECT_EQ(GetStringList(server.port(), "/loki/api/v1/label/app/values", "tenant-a"),
            std::vector<std::string>{"alpha"});
  EXPECT_TRUE(GetStringList(server.port(), "/loki/api/v1/label/team/values", "tenant-b").empty());
  HttpResult series =
      HttpRequest(server.port(), "GET", "/loki/api/v1/series?match[]=" + UrlEncode("{}"),
                  {{"X-Scope-OrgID", "tenant-b"}});
  EXPECT_EQ(series.body, R"({"status":"success","data":[{"app":"beta","service_name":"beta"}]})");

  // Per-tenant metrics.
  HttpResult metrics = HttpRequest(server.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("sluice_distributor_lines_received_total{tenant=\"tenant-a\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("sluice_request_duration_seconds_bucket{route=\"loki_api_v1_push\""),
            std::string::npos);
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

TEST(TenantsTest, AuthEnabledRequiresOrgId) {
  TempDir tmp;
  std::string config = tmp.path() + "/sluice.yaml";
  std::ofstream(config) << "auth_enabled: true\n";
  ServerProcess server(tmp.path() + "/data", {"--config", config});
  ASSERT_TRUE(server.Start()) << server.log();
  TestStream s{{{"app", "x"}}, {{NowNs(), "line", {}}}};
  HttpResult r = Push(server.port(), "", "application/json", JsonPushBody({s}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, "no org id");
  EXPECT_EQ(HttpRequest(server.port(), "GET", "/loki/api/v1/labels").status, 401);
  EXPECT_EQ(HttpRequest(server.port(), "GET",
                        "/loki/api/v1/query_range?query=" + UrlEncode(R"({app="x"})"))
                .status,
            401);
  EXPECT_EQ(Push(server.port(), "t1", "application/json", JsonPushBody({s})).status, 204);
  int status = 0;
  EXPECT_EQ(GetStringList(server.port(), "/loki/api/v1/label/app/values", "t1", &status),
            std::vector<std::string>{"x"});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

}  // namespace
}  // namespace sluice::integration
