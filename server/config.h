// ServerConfig: everything `sluice serve` can be configured with, its defaults, and the YAML
// loader. Names follow Loki's config file where Loki has the setting (auth_enabled,
// server.http_listen_address/port, limits_config.*), so a Loki config mostly carries over;
// storage options are Sluice's own (storage.*). Per-tenant limits go in `overrides:`.
//
//   auth_enabled: false
//   server: {http_listen_address: 127.0.0.1, http_listen_port: 3100}
//   storage: {data_dir: ./data, target_chunk_size: 1.5MiB, out_of_order_window: 1h}
//   limits_config: {max_line_size: 256KB, ingestion_rate_mb: 0, max_entries_limit_per_query: 5000}
//   overrides: {noisy-team: {ingestion_rate_mb: 4, max_streams_per_user: 5000}}
//
// Unknown keys are rejected (a typo should not silently keep a default). Sizes accept numbers
// of bytes or humanized strings ("256KB" = 256000, "1MiB" = 1048576); durations accept Go /
// Prometheus forms ("1h", "90s", "7d") or integer seconds.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "chunks/store.h"
#include "common/result.h"
#include "index/index.h"
#include "ingest/limits.h"
#include "logql/engine.h"
#include "server/http_server.h"

namespace sluice::server {

struct ServerConfig {
  // With true, X-Scope-OrgID is required on every endpoint (401 "no org id" when absent); with
  // false an absent header means tenant "fake" (a present one is still honoured).
  bool auth_enabled = false;
  std::string default_tenant = "fake";
  // Address and port; body_limit caps request bodies (push: 413 above).
  HttpServerOptions http;
  // Root of all data: WAL and chunks under it (chunks/), the index in <data_dir>/index.
  std::string data_dir = "./data";
  std::string log_level = "info";
  // How long SIGTERM waits for in-flight requests before closing connections.
  int64_t shutdown_grace_ns = 10LL * 1'000'000'000;
  ingest::PushOptions push;
  chunks::StoreOptions store;  // dir, fs, clock, observer are set by the server
  index::IndexOptions index;   // path, clock are set by the server
  logql::EngineOptions query;
  // Longest accepted query range (Loki's max_query_length, 721h = 30d1h).
  int64_t max_query_length_ns = 721LL * 3600 * 1'000'000'000;
};

// Applies the YAML document `yaml` on top of `*config`. Errors (InvalidArgument) name the key.
Status ApplyConfigYaml(std::string_view yaml, ServerConfig* config);
// Reads `path` and applies it; errors name the file.
Status ApplyConfigFile(const std::string& path, ServerConfig* config);

// Humanized byte sizes as Loki's flagext.ByteSize: "256KB" (SI) = 256000, "256KiB" = 262144,
// plain integers are bytes.
Result<uint64_t> ParseByteSize(std::string_view s);

// Splits "host:port" / "[v6]:port" / ":port" (host defaults to 127.0.0.1).
Status ParseListenAddress(std::string_view s, std::string* host, uint16_t* port);

}  // namespace sluice::server
