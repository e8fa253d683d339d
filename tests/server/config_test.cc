#include "server/config.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

constexpr int64_t kSec = 1'000'000'000;

TEST(ConfigTest, DefaultsAreSluiceServeDefaults) {
  ServerConfig c;
  EXPECT_FALSE(c.auth_enabled);
  EXPECT_EQ(c.http.address, "127.0.0.1");
  EXPECT_EQ(c.http.port, 3100);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.push.defaults.max_line_size, 256000u);
  EXPECT_EQ(c.push.defaults.ingestion_rate_mb, 0);
  EXPECT_EQ(c.query.max_entries_limit, 5000);
}

TEST(ConfigTest, AppliesLokiStyleKeys) {
  ServerConfig c;
  ASSERT_THAT(ApplyConfigYaml(R"(
auth_enabled: true
server:
  http_listen_address: 0.0.0.0
  http_listen_port: 3200
  grpc_server_max_recv_msg_size: 8MiB
storage:
  data_dir: /tmp/x
  target_chunk_size: 2MB
  out_of_order_window: 2h
  max_chunk_age: 90m
limits_config:
  max_line_size: 256KB
  reject_old_samples_max_age: 168h
  creation_grace_period: 10m
  ingestion_rate_mb: 4
  max_entries_limit_per_query: 1000
  max_query_length: 30d1h
  discover_service_name: []
)",
                              &c),
              IsOk());
  EXPECT_TRUE(c.auth_enabled);
  EXPECT_EQ(c.http.address, "0.0.0.0");
  EXPECT_EQ(c.http.port, 3200);
  EXPECT_EQ(c.http.body_limit, 8u << 20);
  EXPECT_EQ(c.data_dir, "/tmp/x");
  EXPECT_EQ(c.store.target_chunk_bytes, 2000000u);
  EXPECT_EQ(c.store.out_of_order_window_ns, 7200 * kSec);
  EXPECT_EQ(c.store.max_chunk_age_ns, 5400 * kSec);
  EXPECT_EQ(c.push.defaults.max_line_size, 256000u);
  EXPECT_EQ(c.push.defaults.reject_old_samples_max_age_ns, 168 * 3600 * kSec);
  EXPECT_EQ(c.push.defaults.ingestion_rate_mb, 4);
  EXPECT_FALSE(c.push.defaults.discover_service_name);
  EXPECT_EQ(c.query.max_entries_limit, 1000);
  EXPECT_EQ(c.max_query_length_ns, 721 * 3600 * kSec);
}

TEST(ConfigTest, OverridesStartFromFinalDefaults) {
  ServerConfig c;
  ASSERT_THAT(ApplyConfigYaml(R"(
overrides:
  noisy:
    ingestion_rate_mb: 8
    max_streams_per_user: 100
limits_config:
  max_line_size: 1000
)",
                              &c),
              IsOk());
  ASSERT_EQ(c.push.per_tenant.count("noisy"), 1u);
  const ingest::Limits& l = c.push.per_tenant.at("noisy");
  EXPECT_EQ(l.ingestion_rate_mb, 8);
  EXPECT_EQ(l.max_streams_per_user, 100);
  EXPECT_EQ(l.max_line_size, 1000u);  // from limits_config, though it came later in the file
  EXPECT_EQ(c.push.defaults.ingestion_rate_mb, 0);
}

TEST(ConfigTest, RejectsUnknownKeysAndBadValues) {
  ServerConfig c;
  EXPECT_THAT(ApplyConfigYaml("server:\n  http_listen_prot: 1\n", &c),
              StatusIs(StatusCode::kInvalidArgument, "server.http_listen_prot"));
  EXPECT_THAT(ApplyConfigYaml("server:\n  http_listen_port: 70000\n", &c),
              StatusIs(StatusCode::kInvalidArgument, "server.http_listen_port"));
  EXPECT_THAT(ApplyConfigYaml("auth_enabled: maybe\n", &c),
              StatusIs(StatusCode::kInvalidArgument, "auth_enabled"));
  EXPECT_THAT(ApplyConfigYaml("limits_config:\n  max_line_size: lots\n", &c),
              StatusIs(StatusCode::kInvalidArgument, "max_line_size"));
  EXPECT_THAT(ApplyConfigYaml("storage: [1, 2\n", &c),
              StatusIs(StatusCode::kInvalidArgument, "invalid YAML"));
  EXPECT_THAT(ApplyConfigFile("/nonexistent/sluice.yaml", &c),
              StatusIs(StatusCode::kIOError, "/nonexistent/sluice.yaml"));
}

TEST(ConfigTest, ByteSizes) {
  EXPECT_EQ(*ParseByteSize("256KB"), 256000u);
  EXPECT_EQ(*ParseByteSize("256KiB"), 262144u);
  EXPECT_EQ(*ParseByteSize("1.5MiB"), 1572864u);
  EXPECT_EQ(*ParseByteSize("100"), 100u);
  EXPECT_EQ(*ParseByteSize("64kb"), 64000u);
  EXPECT_FALSE(ParseByteSize("MB").ok());
  EXPECT_FALSE(ParseByteSize("12 parsecs").ok());
}

TEST(ConfigTest, ListenAddress) {
  std::string host;
  uint16_t port = 0;
  ASSERT_THAT(ParseListenAddress("0.0.0.0:3100", &host, &port), IsOk());
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 3100);
  ASSERT_THAT(ParseListenAddress(":9000", &host, &port), IsOk());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 9000);
  ASSERT_THAT(ParseListenAddress("[::1]:80", &host, &port), IsOk());
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(ParseListenAddress("localhost", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress("host:99999", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress("host:", &host, &port).ok());
}

}  // namespace
}  // namespace sluice::server
