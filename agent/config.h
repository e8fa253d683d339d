// AgentConfig: the `sluice-agent --config` file, in Promtail's shape (server, positions,
// clients, scrape_configs with static_configs, relabel_configs and pipeline_stages,
// target_config, limits_config), loaded with yaml-cpp.
//
//   ConfigWarnings warnings;
//   SLUICE_ASSIGN_OR_RETURN(AgentConfig config, LoadConfigFile(path, &warnings));
//
// Contract: a key Promtail does not know is an InvalidArgument error naming the key and its
// line ("line 12: unknown key `batch_size` in clients[0]"). A Promtail key we do not implement
// is a warning (appended to *warnings, also naming key and line) when ignoring it cannot change
// what is shipped (grpc_listen_port, *_sd_configs, tracing), else an error (e.g. a `journal`
// source, `proxy_url`, an unimplemented pipeline stage that rewrites lines). Pipeline stages are
// checked here but kept as YAML nodes; agent/pipeline_builder.h compiles them.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "agent/relabel.h"
#include "common/result.h"

namespace sluice::agent {

inline constexpr int64_t kMillis = 1'000'000;
inline constexpr int64_t kSeconds = 1'000'000'000;

struct ServerConfig {
  // Port of /metrics and /ready. Default 9080 (Promtail's documented port); 0 picks a free one.
  int http_listen_port = 9080;
  std::string http_listen_address = "0.0.0.0";
  // Promtail's `disable`: no HTTP server at all.
  bool disable = false;
  std::string log_level = "info";
  // How long shutdown may spend on the last flush before giving up (unacknowledged lines are
  // then sent again after restart). Promtail's graceful_shutdown_timeout; default 10 s.
  int64_t graceful_shutdown_timeout_ns = 10 * kSeconds;
};

struct PositionsConfig {
  std::string filename = "/var/log/positions.yaml";  // Promtail's default
  int64_t sync_period_ns = 10 * kSeconds;            // Promtail's default
};

enum class PushFormat { kProtobuf, kJson };

struct BackoffConfig {
  int64_t min_period_ns = 500 * kMillis;  // Promtail's defaults
  int64_t max_period_ns = 300 * kSeconds;
  // 0 (the default here, unlike Promtail's 10): retry for as long as the agent runs, since the
  // data is still on disk. A positive value drops the batch after that many attempts.
  int max_retries = 0;
};

struct ClientConfig {
  std::string url;  // http://host:port/path (https is refused at load time)
  std::string host;
  uint16_t port = 80;
  std::string target;  // path + query
  std::string tenant_id;
  int64_t batchwait_ns = 1 * kSeconds;  // Promtail's defaults
  int64_t batchsize_bytes = 1024 * 1024;
  BackoffConfig backoff;
  std::map<std::string, std::string> external_labels;
  int64_t timeout_ns = 10 * kSeconds;
  std::vector<std::pair<std::string, std::string>> headers;  // incl. auth headers
  bool drop_rate_limited_batches = false;
  // Ours: body encoding. Default protobuf+snappy (what Promtail sends).
  PushFormat format = PushFormat::kProtobuf;
  // Ours: bytes of entries held for this client (batched, in flight, retrying) before the
  // agent stops reading files. Default 8 MiB; bounds memory when the server is slow or down.
  int64_t max_buffered_bytes = 8 * 1024 * 1024;
};

struct StaticConfig {
  std::map<std::string, std::string> labels;  // incl. __path__, __path_exclude__
};

struct ScrapeConfig {
  std::string job_name;
  std::vector<StaticConfig> static_configs;
  std::vector<RelabelConfig> relabel_configs;
  YAML::Node pipeline_stages;  // a sequence (possibly null); see pipeline_builder.h
  int pipeline_stages_line = 0;
};

struct LimitsConfig {
  // Promtail's max_line_size: 0 = no cap. Longer lines are truncated when
  // max_line_size_truncate, else dropped (counted as dropped, reason line_too_long).
  int64_t max_line_size = 0;
  bool max_line_size_truncate = false;
};

struct AgentConfig {
  ServerConfig server;
  PositionsConfig positions;
  std::vector<ClientConfig> clients;
  std::vector<ScrapeConfig> scrape_configs;
  LimitsConfig limits;
  // target_config.sync_period: the rescan safety net under inotify. Default 10 s (Promtail's).
  int64_t target_sync_period_ns = 10 * kSeconds;
  std::string source_path;  // the file it came from (relative schema paths resolve against it)
};

using ConfigWarnings = std::vector<std::string>;

// Parses YAML text. `source_path` is used for messages and relative paths only.
Result<AgentConfig> LoadConfig(std::string_view yaml, std::string_view source_path,
                               ConfigWarnings* warnings);
Result<AgentConfig> LoadConfigFile(const std::string& path, ConfigWarnings* warnings);

// Go / Prometheus duration ("500ms", "1m30s", "5m", "1d"); also a bare number of seconds.
Result<int64_t> ParseConfigDuration(std::string_view text);
// Bytes: an integer, or with a unit ("1MB", "512KiB", "1mb").
Result<int64_t> ParseByteSize(std::string_view text);

}  // namespace sluice::agent
