// The endpoints Grafana's Loki datasource and Logs Drilldown call beyond the core query API
// (issue 5; loki-http-api.md §4): index/stats, index/volume, index/volume_range (from the
// index counters, no chunk is read), detected_labels, detected_fields, detected_field/<name>/
// values, patterns (mined on demand with logql/drilldown), drilldown-limits, format_query,
// /prometheus/api/v1/rules and /alerts (no ruler: empty), and a plain-HTTP answer for
// /loki/api/v1/tail (the WebSocket upgrade itself is taken by the transport before routing;
// see tail_websocket.h).
//
//   RegisterGrafanaRoutes(ctx, &router);   // from RegisterRoutes (handlers.cc)
//
// Thread-safety: as handlers.h; handlers keep no state between requests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/handlers.h"

namespace sluice::server {

struct GrafanaLimits {
  // detected_fields / detected_field values: lines scanned when `line_limit` is absent (Loki's
  // default query limit).
  uint32_t default_line_limit = 100;
  // /patterns: at most this many entries (newest first) are mined per request, bounding the
  // time a request over a busy range takes.
  int64_t max_pattern_lines = 200000;
};

void RegisterGrafanaRoutes(const HandlerContext& ctx, Router* router);
// Same, with explicit limits (tests).
void RegisterGrafanaRoutes(const HandlerContext& ctx, const GrafanaLimits& limits, Router* router);

// Split by group (grafana_handlers.cc, drilldown_handlers.cc).
void RegisterIndexAndAuxRoutes(const HandlerContext& ctx, Router* router);
void RegisterDrilldownRoutes(const HandlerContext& ctx, const GrafanaLimits& limits,
                             Router* router);

// Shared by both files. Loki's query-step parameter rules: `step` (duration or float seconds;
// default max(1 s, range/250)), > 0, at most 11000 points over [start, end).
Result<int64_t> ParseQueryStep(const HttpRequest& req, int64_t start_ns, int64_t end_ns);

}  // namespace sluice::server
