// Parameters of GET /loki/api/v1/tail (Loki's loghttp.ParseTailQuery), checked before the
// WebSocket upgrade so that a bad request gets a plain 400 (delay_for > 5: "delay_for can't be
// greater than 5"; a bad query: the parser's text; auth enabled without X-Scope-OrgID: 401).
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "server/handlers.h"
#include "server/tail_hub.h"

namespace sluice::server {

struct TailParams {
  std::string tenant;
  TailRequest request;   // query, delay_for, categorize_labels
  int64_t start_ns = 0;  // replay from here (default now - 1 h)
  uint32_t limit = 100;  // entries replayed at most
};

inline constexpr int64_t kMaxTailDelaySeconds = 5;

Result<TailParams> ParseTailParams(const HandlerContext& ctx, const HttpRequest& req);

// True for the tail path, also under a prefix (Grafana's datasource proxy forwards
// ".../loki/api/v1/tail").
bool IsTailPath(std::string_view path);

}  // namespace sluice::server
