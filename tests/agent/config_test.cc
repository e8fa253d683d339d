#include "agent/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::agent {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// Promtail's documented example configuration (docs: "Configuring Promtail", the static_configs
// example), taken as it is.
constexpr char kStockPromtail[] = R"(server:
  http_listen_port: 9080
  grpc_listen_port: 0

positions:
  filename: /tmp/positions.yaml

clients:
  - url: http://localhost:3100/loki/api/v1/push

scrape_configs:
- job_name: system
  static_configs:
  - targets:
      - localhost
    labels:
      job: varlogs
      __path__: /var/log/*log
)";

// The Kubernetes shape from Promtail's docs / Helm chart, with keys we only warn about.
constexpr char kKubernetesPromtail[] = R"(server:
  log_level: info
  http_listen_port: 3101
  register_instrumentation: true
clients:
  - url: http://loki-gateway/loki/api/v1/push
    tenant_id: acme
    batchwait: 1s
    batchsize: 1048576
    backoff_config:
      min_period: 500ms
      max_period: 5m
      max_retries: 10
    external_labels:
      cluster: prod
    timeout: 10s
positions:
  filename: /run/promtail/positions.yaml
  sync_period: 10s
target_config:
  sync_period: 10s
limits_config:
  max_line_size: 256kb
  max_line_size_truncate: true
tracing:
  enabled: false
scrape_configs:
  - job_name: kubernetes-pods
    pipeline_stages:
      - cri: {}
      - json:
          expressions:
            level: level
            trace_id: trace_id
      - labels:
          level:
      - structured_metadata:
          trace_id:
      - metrics:
          lines_total:
            type: Counter
            config:
              match_all: true
              action: inc
    kubernetes_sd_configs:
      - role: pod
    relabel_configs:
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - action: labelmap
        regex: __meta_kubernetes_pod_label_(.+)
      - action: drop
        source_labels: [__meta_kubernetes_namespace]
        regex: kube-system
)";

TEST(ConfigTest, StockPromtailConfigLoads) {
  ConfigWarnings warnings;
  Result<AgentConfig> config = LoadConfig(kStockPromtail, "/etc/promtail/config.yml", &warnings);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server.http_listen_port, 9080);
  EXPECT_EQ(config->positions.filename, "/tmp/positions.yaml");
  ASSERT_EQ(config->clients.size(), 1u);
  EXPECT_EQ(config->clients[0].host, "localhost");
  EXPECT_EQ(config->clients[0].port, 3100);
  EXPECT_EQ(config->clients[0].target, "/loki/api/v1/push");
  EXPECT_EQ(config->clients[0].batchsize_bytes, 1024 * 1024);
  ASSERT_EQ(config->scrape_configs.size(), 1u);
  EXPECT_EQ(config->scrape_configs[0].job_name, "system");
  EXPECT_EQ(config->scrape_configs[0].static_configs[0].labels.at("__path__"), "/var/log/*log");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("line 3"));
  EXPECT_THAT(warnings[0], HasSubstr("grpc_listen_port"));
}

TEST(ConfigTest, KubernetesConfigLoadsWithWarnings) {
  ConfigWarnings warnings;
  Result<AgentConfig> config = LoadConfig(kKubernetesPromtail, "/etc/promtail/c.yml", &warnings);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const ClientConfig& c = config->clients[0];
  EXPECT_EQ(c.port, 80);
  EXPECT_EQ(c.tenant_id, "acme");
  EXPECT_EQ(c.backoff.max_retries, 10);
  EXPECT_EQ(c.backoff.max_period_ns, 300LL * kSeconds);
  EXPECT_EQ(c.external_labels.at("cluster"), "prod");
  EXPECT_EQ(config->limits.max_line_size, 256 * 1024);
  EXPECT_TRUE(config->limits.max_line_size_truncate);
  EXPECT_EQ(config->scrape_configs[0].relabel_configs.size(), 3u);
  std::string all;
  for (const auto& w : warnings)
    all += w + "\n";
  EXPECT_THAT(all, HasSubstr("register_instrumentation"));
  EXPECT_THAT(all, HasSubstr("tracing"));
  EXPECT_THAT(all, HasSubstr("kubernetes_sd_configs"));
  EXPECT_THAT(all, HasSubstr("stage `metrics`"));
}

TEST(ConfigTest, UnknownKeyIsAnErrorNamingKeyAndLine) {
  constexpr char kYaml[] = R"(clients:
  - url: http://localhost:3100/loki/api/v1/push
    batch_size: 10
)";
  ConfigWarnings warnings;
  Result<AgentConfig> config = LoadConfig(kYaml, "c.yaml", &warnings);
  EXPECT_THAT(config.status(),
              StatusIs(StatusCode::kInvalidArgument, "line 3: unknown key `batch_size`"));
}

TEST(ConfigTest, UnknownStageKeyIsAnError) {
  constexpr char kYaml[] = R"(clients:
  - url: http://localhost:3100/loki/api/v1/push
scrape_configs:
  - job_name: x
    pipeline_stages:
      - json:
          expresions: {a: b}
)";
  ConfigWarnings warnings;
  EXPECT_THAT(LoadConfig(kYaml, "c.yaml", &warnings).status(),
              StatusIs(StatusCode::kInvalidArgument, "line 7: unknown key `expresions`"));
}

TEST(ConfigTest, UnimplementedKeysThatChangeOutputAreErrors) {
  constexpr char kJournal[] = R"(clients:
  - url: http://localhost:3100/loki/api/v1/push
scrape_configs:
  - job_name: journal
    journal:
      max_age: 12h
)";
  ConfigWarnings warnings;
  EXPECT_THAT(LoadConfig(kJournal, "c.yaml", &warnings).status(),
              StatusIs(StatusCode::kInvalidArgument, "line 5: `journal`"));
  constexpr char kPack[] = R"(clients:
  - url: http://localhost:3100/loki/api/v1/push
scrape_configs:
  - job_name: x
    pipeline_stages:
      - pack:
          labels: [a]
)";
  EXPECT_THAT(LoadConfig(kPack, "c.yaml", &warnings).status(),
              StatusIs(StatusCode::kInvalidArgument, "stage `pack` is not implemented"));
  constexpr char kProxy[] = R"(clients:
  - url: http://localhost:3100/loki/api/v1/push
    proxy_url: http://proxy:8080
)";
  EXPECT_THAT(LoadConfig(kProxy, "c.yaml", &warnings).status(),
              StatusIs(StatusCode::kInvalidArgument, "line 3: `proxy_url`"));
}

TEST(ConfigTest, BadValuesAreErrors) {
  ConfigWarnings w;
  EXPECT_THAT(LoadConfig("clients:\n  - url: https://x/y\n", "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "https"));
  EXPECT_THAT(LoadConfig("clients:\n  - url: http://x:99999/y\n", "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "bad port"));
  EXPECT_THAT(LoadConfig("clients:\n  - url: http://x/y\n    batchwait: soon\n", "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "line 3"));
  EXPECT_THAT(LoadConfig("server:\n  http_listen_port: 80\n", "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "no `clients`"));
  EXPECT_THAT(LoadConfig("clients: [\n", "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "invalid YAML"));
  EXPECT_THAT(LoadConfig("- a\n- b\n", "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "must be a YAML map"));
}

TEST(ConfigTest, RelabelConfigErrors) {
  ConfigWarnings w;
  constexpr char kBadRegex[] = R"(clients:
  - url: http://x/y
scrape_configs:
  - job_name: x
    relabel_configs:
      - source_labels: [a]
        regex: "(unclosed"
        target_label: b
)";
  EXPECT_THAT(LoadConfig(kBadRegex, "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "invalid relabel regex"));
  constexpr char kBadAction[] = R"(clients:
  - url: http://x/y
scrape_configs:
  - job_name: x
    relabel_configs:
      - action: explode
)";
  EXPECT_THAT(LoadConfig(kBadAction, "c", &w).status(),
              StatusIs(StatusCode::kInvalidArgument, "line 6: unknown relabel action"));
}

TEST(ConfigTest, ClientExtras) {
  constexpr char kYaml[] = R"(clients:
  - url: http://user@127.0.0.1:3100/loki/api/v1/push
    format: json
    basic_auth:
      username: u
      password: p
    headers:
      X-Extra: "1"
    max_buffered_bytes: 2MB
)";
  ConfigWarnings w;
  Result<AgentConfig> config = LoadConfig(kYaml, "c", &w);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const ClientConfig& c = config->clients[0];
  EXPECT_EQ(c.format, PushFormat::kJson);
  EXPECT_EQ(c.max_buffered_bytes, 2 * 1024 * 1024);
  bool auth = false;
  for (const auto& [k, v] : c.headers)
    auth = auth || (k == "Authorization" && v == "Basic dTpw");
  EXPECT_TRUE(auth);
}

TEST(ConfigTest, Durations) {
  EXPECT_EQ(*ParseConfigDuration("500ms"), 500 * kMillis);
  EXPECT_EQ(*ParseConfigDuration("1m30s"), 90 * kSeconds);
  EXPECT_EQ(*ParseConfigDuration("1d"), 86400 * kSeconds);
  EXPECT_EQ(*ParseConfigDuration("15"), 15 * kSeconds);
  EXPECT_FALSE(ParseConfigDuration("fast").ok());
  EXPECT_EQ(*ParseByteSize("1048576"), 1048576);
  EXPECT_EQ(*ParseByteSize("1MiB"), 1048576);
  EXPECT_EQ(*ParseByteSize("256kb"), 262144);
  EXPECT_FALSE(ParseByteSize("lots").ok());
}

}  // namespace
}  // namespace sluice::agent
