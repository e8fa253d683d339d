// Parsing of the request parameters shared by Loki's query and metadata endpoints
// (loki-http-api.md §1.2): tenant, start/end/since/time, limit, direction, durations.
// Errors are InvalidArgument (400) with Loki's texts, except the tenant (401 / 400).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/iterator.h"
#include "common/result.h"
#include "server/http_types.h"

namespace sluice::server {

// The tenant of a request: X-Scope-OrgID when present; when absent, `default_tenant` (auth
// disabled) or 401 "no org id" (auth enabled). Validated with ValidateTenantId (400).
Result<std::string> ResolveTenant(const HttpRequest& req, bool auth_enabled,
                                  std::string_view default_tenant);

struct TimeRange {
  int64_t start_ns = 0;  // inclusive
  int64_t end_ns = 0;    // exclusive
};

// Loki's determineBounds: end = `end` or now; start = `start` or min(end, now) - since
// (since default 1 h).
Result<TimeRange> ParseTimeRange(const HttpRequest& req, int64_t now_ns);

// `limit`: default `def`; <= 0 -> "limit must be a positive value"; > max ->
// "max entries limit per query exceeded, limit > max_entries_limit_per_query (l > max)".
Result<uint32_t> ParseLimit(const HttpRequest& req, uint32_t def, int64_t max);

// `direction`: forward | backward (case-insensitive), default backward.
Result<Direction> ParseDirection(const HttpRequest& req);

// An optional duration parameter (`step`, `interval`, `since`): float seconds or Prometheus
// duration; 0 when absent. Error: `cannot parse "<v>" to a valid duration`.
Result<int64_t> ParseDurationParam(const HttpRequest& req, std::string_view name);

// `time` for instant queries, default now.
Result<int64_t> ParseInstantTime(const HttpRequest& req, int64_t now_ns);

// Go's time.Duration.String() for a non-negative duration ("721h0m0s", "1m30s", "250ms"),
// used in Loki's messages.
std::string FormatGoDuration(int64_t ns);

}  // namespace sluice::server
