// GET|POST /loki/api/v1/query_range and /loki/api/v1/query: parameters as Loki parses them
// (loki-http-api.md §3.1-3.2), evaluation by logql::Engine, Loki's JSON (query_json.h).
#include "common/time_util.h"
#include "logql/engine.h"
#include "logql/syntax/parser.h"
#include "server/config.h"
#include "server/handlers.h"
#include "server/query_json.h"
#include "server/request_params.h"

namespace sluice::server {

namespace {

constexpr int64_t kInstantLogLookbackNs = 3600 * kNanosPerSecond;
constexpr int64_t kMaxPointsPerSeries = 11000;

bool WantsCategorizedLabels(const HttpRequest& req) {
  std::string_view flags = req.Header("x-loki-response-encoding-flags");
  while (!flags.empty()) {
    size_t comma = flags.find(',');
    std::string_view f = flags.substr(0, comma);
    while (!f.empty() && f.front() == ' ')
      f.remove_prefix(1);
    while (!f.empty() && f.back() == ' ')
      f.remove_suffix(1);
    if (f == "categorize-labels")
      return true;
    flags = comma == std::string_view::npos ? std::string_view() : flags.substr(comma + 1);
  }
  return false;
}

HttpResponse Run(const HandlerContext& ctx, const HttpRequest& req, const std::string& tenant,
                 const logql::QueryParams& params) {
  Result<logql::QueryResult> result = ctx.engine->Exec(tenant, params);
  if (!result.ok())
    return QueryErrorResponse(result.status());
  QueryJsonOptions options;
  options.categorize_labels = WantsCategorizedLabels(req);
  return JsonResponse(RenderQueryResult(*result, options));
}

Status CheckQueryLength(const HandlerContext& ctx, int64_t start_ns, int64_t end_ns) {
  int64_t max = ctx.config->max_query_length_ns;
  if (max > 0 && end_ns - start_ns > max) {
    return InvalidArgumentError("the query time range exceeds the limit (query length: " +
                                FormatGoDuration(end_ns - start_ns) +
                                ", limit: " + FormatPromDuration(max) + ")");
  }
  return Status::Ok();
}

Result<logql::QueryParams> ParseRangeQuery(const HandlerContext& ctx, const HttpRequest& req) {
  logql::QueryParams p;
  p.query = std::string(req.Param("query"));
  SLUICE_ASSIGN_OR_RETURN(TimeRange range, ParseTimeRange(req, ctx.clock->NowNanos()));
  SLUICE_ASSIGN_OR_RETURN(p.limit, ParseLimit(req, 100, ctx.config->query.max_entries_limit));
  SLUICE_ASSIGN_OR_RETURN(p.direction, ParseDirection(req));
  if (range.end_ns < range.start_ns) {
    return InvalidArgumentError("end timestamp must not be before or equal to start time");
  }
  p.start_ns = range.start_ns;
  p.end_ns = range.end_ns;
  SLUICE_ASSIGN_OR_RETURN(p.step_ns, ParseDurationParam(req, "step"));
  if (req.FindParam("step").has_value() && !req.Param("step").empty() && p.step_ns <= 0) {
    return InvalidArgumentError(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if (p.step_ns == 0)
    p.step_ns = logql::Engine::DefaultStepNs(p.start_ns, p.end_ns);
  if (p.step_ns > 0 && (p.end_ns - p.start_ns) / p.step_ns > kMaxPointsPerSeries) {
    return InvalidArgumentError(
        "exceeded maximum resolution of 11,000 points per time series. Try increasing the value "
        "of the step parameter");
  }
  SLUICE_ASSIGN_OR_RETURN(p.interval_ns, ParseDurationParam(req, "interval"));
  if (p.interval_ns < 0)
    return InvalidArgumentError("interval must be >= 0");
  SLUICE_RETURN_IF_ERROR(CheckQueryLength(ctx, p.start_ns, p.end_ns));
  return p;
}

HttpResponse HandleQueryRange(const HandlerContext& ctx, const HttpRequest& req) {
  auto tenant = ResolveTenant(req, ctx.config->auth_enabled, ctx.config->default_tenant);
  if (!tenant.ok())
    return ErrorResponse(tenant.status());
  auto params = ParseRangeQuery(ctx, req);
  if (!params.ok())
    return ErrorResponse(params.status());
  return Run(ctx, req, *tenant, *params);
}

// Instant queries. A log query is answered, unlike Loki 3.x, with the newest (or, forward,
// the oldest) `limit` entries of (time - 1h, time].
HttpResponse HandleInstantQuery(const HandlerContext& ctx, const HttpRequest& req) {
  auto tenant = ResolveTenant(req, ctx.config->auth_enabled, ctx.config->default_tenant);
  if (!tenant.ok())
    return ErrorResponse(tenant.status());
  logql::QueryParams p;
  p.query = std::string(req.Param("query"));
  auto time = ParseInstantTime(req, ctx.clock->NowNanos());
  if (!time.ok())
    return ErrorResponse(time.status());
  auto limit = ParseLimit(req, 100, ctx.config->query.max_entries_limit);
  if (!limit.ok())
    return ErrorResponse(limit.status());
  auto direction = ParseDirection(req);
  if (!direction.ok())
    return ErrorResponse(direction.status());
  p.limit = *limit;
  p.direction = *direction;
  auto expr = logql::syntax::ParseExpr(p.query);
  if (!expr.ok())
    return QueryErrorResponse(expr.status());
  if ((*expr)->IsMetric()) {
    p.instant = true;
    p.start_ns = p.end_ns = *time;
  } else {
    // Half-open [start, end) holding exactly (time - 1h, time].
    p.start_ns = *time - kInstantLogLookbackNs + 1;
    p.end_ns = *time + 1;
  }
  return Run(ctx, req, *tenant, p);
}

}  // namespace

void RegisterQueryRoutes(const HandlerContext& ctx, Router* router) {
  router->Add("loki_api_v1_query_range", {"GET", "POST"}, "/loki/api/v1/query_range",
              [ctx](const HttpRequest& req) { return HandleQueryRange(ctx, req); });
  router->Add("loki_api_v1_query", {"GET", "POST"}, "/loki/api/v1/query",
              [ctx](const HttpRequest& req) { return HandleInstantQuery(ctx, req); });
}

}  // namespace sluice::server
