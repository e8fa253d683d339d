// index/stats, index/volume, index/volume_range, drilldown-limits, format_query, the empty
// ruler answers and the plain-HTTP tail answer. See grafana_handlers.h.
#include "server/grafana_handlers.h"

#include "common/time_util.h"
#include "index/index.h"
#include "logql/engine.h"
#include "logql/syntax/parser.h"
#include "logql/syntax/pretty.h"
#include "server/build_info.h"
#include "server/config.h"
#include "server/handler_util.h"
#include "server/json_writer.h"
#include "server/request_params.h"
#include "server/storage.h"

namespace sluice::server {

namespace {

constexpr int64_t kMaxPoints = 11000;

struct IndexRequest {
  std::string tenant;
  TimeRange range;
  Matchers matchers;
};

Result<IndexRequest> ParseIndexRequest(const HandlerContext& ctx, const HttpRequest& req) {
  SLUICE_ASSIGN_OR_RETURN(ReadRequest read, ParseReadRequest(ctx, req));
  IndexRequest r{std::move(read.tenant), read.range, {}};
  SLUICE_ASSIGN_OR_RETURN(r.matchers, ParseSelectorParam(req.Param("query")));
  return r;
}

HttpResponse HandleIndexStats(const HandlerContext& ctx, const HttpRequest& req) {
  auto r = ParseIndexRequest(ctx, req);
  if (!r.ok())
    return ErrorResponse(r.status());
  auto stats =
      ctx.storage->index()->Stats(r->tenant, r->matchers, r->range.start_ns, r->range.end_ns);
  if (!stats.ok())
    return QueryErrorResponse(stats.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("streams");
  w.Uint(stats->streams);
  w.Key("chunks");
  w.Uint(stats->chunks);
  w.Key("entries");
  w.Uint(stats->entries);
  w.Key("bytes");
  w.Uint(stats->bytes);
  w.EndObject();
  return JsonResponse(std::move(out));
}

// Loki's volume parameters: limit (default 100; 0 means the default), targetLabels (csv),
// aggregateBy (series | labels).
Result<index::VolumeRequest> ParseVolumeRequest(const HttpRequest& req, const IndexRequest& r) {
  index::VolumeRequest v;
  v.matchers = r.matchers;
  v.start_ns = r.range.start_ns;
  v.end_ns = r.range.end_ns;
  if (auto l = req.FindParam("limit"); l.has_value() && !l->empty()) {
    auto limit = ParseLimit(req, 100, INT32_MAX);
    if (!limit.ok() && *l != "0")
      return limit.status();
    v.limit = limit.ok() ? *limit : 100;
  }
  std::string_view targets = req.Param("targetLabels");
  while (!targets.empty()) {
    size_t comma = targets.find(',');
    std::string_view t = targets.substr(0, comma);
    if (!t.empty())
      v.target_labels.emplace_back(t);
    targets = comma == std::string_view::npos ? std::string_view() : targets.substr(comma + 1);
  }
  std::string_view agg = req.Param("aggregateBy");
  if (agg.empty() || agg == "series") {
    v.aggregate_by = index::VolumeAggregation::kSeries;
  } else if (agg == "labels") {
    v.aggregate_by = index::VolumeAggregation::kLabels;
  } else {
    return InvalidArgumentError("invalid aggregation option");
  }
  return v;
}

template <typename Item>
void WriteVolumeMetric(const Item& item, JsonWriter* w) {
  w->Key("metric");
  w->BeginObject();
  if (!item.label_name.empty()) {
    w->Key(item.label_name);
    w->String("");
  } else {
    for (const Label& l : item.labels) {
      w->Key(l.name);
      w->String(l.value);
    }
  }
  w->EndObject();
}

void BeginPromResult(std::string_view type, JsonWriter* w) {
  w->BeginObject();
  w->Key("status");
  w->String("success");
  w->Key("data");
  w->BeginObject();
  w->Key("resultType");
  w->String(type);
  w->Key("result");
  w->BeginArray();
}

void EndPromResult(JsonWriter* w) {
  w->EndArray();
  w->Key("stats");
  w->BeginObject();
  w->EndObject();
  w->EndObject();
  w->EndObject();
}

HttpResponse HandleVolume(const HandlerContext& ctx, const HttpRequest& req, bool range) {
  auto r = ParseIndexRequest(ctx, req);
  if (!r.ok())
    return ErrorResponse(r.status());
  if (req.Param("query").empty())
    return TextResponse(400, "query parameter is required");
  auto v = ParseVolumeRequest(req, *r);
  if (!v.ok())
    return ErrorResponse(v.status());
  std::string out;
  JsonWriter w(&out);
  if (!range) {
    auto items = ctx.storage->index()->Volume(r->tenant, *v);
    if (!items.ok())
      return QueryErrorResponse(items.status());
    BeginPromResult("vector", &w);
    for (const index::VolumeItem& item : *items) {
      w.BeginObject();
      WriteVolumeMetric(item, &w);
      w.Key("value");
      w.BeginArray();
      w.SecondsNumber(r->range.end_ns);
      w.String(std::to_string(item.bytes));
      w.EndArray();
      w.EndObject();
    }
    EndPromResult(&w);
    return JsonResponse(std::move(out));
  }
  auto step = ParseQueryStep(req, r->range.start_ns, r->range.end_ns);
  if (!step.ok())
    return ErrorResponse(step.status());
  auto series = ctx.storage->index()->VolumeRange(r->tenant, *v, *step);
  if (!series.ok())
    return QueryErrorResponse(series.status());
  BeginPromResult("matrix", &w);
  for (const index::VolumeSeries& s : *series) {
    w.BeginObject();
    WriteVolumeMetric(s, &w);
    w.Key("values");
    w.BeginArray();
    for (const index::VolumePoint& p : s.points) {
      w.BeginArray();
      w.SecondsNumber(p.ts_ns);
      w.String(std::to_string(p.bytes));
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  EndPromResult(&w);
  return JsonResponse(std::move(out));
}

// Prometheus' model.Duration.String(): years and weeks only when they divide the duration
// exactly ("30d1h", not "4w2d1h", for Loki's 721h max_query_length).
std::string PromModelDuration(int64_t ns) {
  int64_t ms = ns / kNanosPerMilli;
  if (ms <= 0)
    return "0s";

  static constexpr struct {
    const char* unit;
    int64_t ms;
    bool exact;
  } kUnits[] = {{"y", 365LL * 24 * 3600 * 1000, true},
                {"w", 7LL * 24 * 3600 * 1000, true},
                {"d", 24LL * 3600 * 1000, false},
                {"h", 3600LL * 1000, false},
                {"m", 60LL * 1000, false},
                {"s", 1000, false},
                {"ms", 1, false}};

  std::string out;
  for (const auto& u : kUnits) {
    if (ms >= u.ms && (!u.exact || ms % u.ms == 0)) {
      out += std::to_string(ms / u.ms) + u.unit;
      ms %= u.ms;
    }
  }
  return out;
}

// Loki >= 3.6 GET /loki/api/v1/drilldown-limits: the published subset of the tenant's limits.
HttpResponse HandleDrilldownLimits(const HandlerContext& ctx, const HttpRequest& req) {
  auto tenant = ResolveTenant(req, ctx.config->auth_enabled, ctx.config->default_tenant);
  if (!tenant.ok())
    return TextResponse(401, tenant.status().message());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("limits");
  w.BeginObject();
  w.Key("discover_log_levels");
  w.Bool(true);
  w.Key("discover_service_name");
  w.BeginArray();
  for (const char* n :
       {"service", "app", "application", "app_name", "name", "app_kubernetes_io_name", "container",
        "container_name", "k8s_container_name", "component", "workload", "job", "k8s_job_name"}) {
    w.String(n);
  }
  w.EndArray();
  w.Key("log_level_fields");
  w.BeginArray();
  for (const char* n :
       {"level", "LEVEL", "Level", "Severity", "severity", "SEVERITY", "lvl", "LVL", "Lvl"}) {
    w.String(n);
  }
  w.EndArray();
  w.Key("max_entries_limit_per_query");
  w.Int(ctx.config->query.max_entries_limit);
  w.Key("max_line_size_truncate");
  w.Bool(false);
  w.Key("max_query_length");
  w.String(PromModelDuration(ctx.config->max_query_length_ns));
  w.Key("max_query_series");
  w.Int(ctx.config->query.max_series);
  w.Key("metric_aggregation_enabled");
  w.Bool(false);
  w.Key("pattern_persistence_enabled");
  w.Bool(false);
  w.Key("query_timeout");
  w.String(PromModelDuration(ctx.config->query.query_timeout_ns));
  w.Key("volume_enabled");
  w.Bool(true);
  w.EndObject();
  // Patterns are mined on demand (no ingester), but the API answers, so Drilldown shows them.
  w.Key("pattern_ingester_enabled");
  w.Bool(true);
  w.Key("version");
  w.String(std::string("sluice-") + kSluiceVersion);
  w.EndObject();
  return JsonResponse(std::move(out));
}

// Loki's format_query: Prettify, or 400 with {"status":"invalid-query","error":...} (JSON).
HttpResponse HandleFormatQuery(const HttpRequest& req) {
  auto expr = logql::syntax::ParseExpr(req.Param("query"));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  if (!expr.ok()) {
    w.String("invalid-query");
    w.Key("error");
    w.String(expr.status().message());
    w.EndObject();
    return JsonResponse(std::move(out), 400);
  }
  w.String("success");
  w.Key("data");
  w.String(logql::syntax::Prettify(**expr));
  w.EndObject();
  return JsonResponse(std::move(out));
}

HttpResponse EmptyRulerAnswer(std::string_view key) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginObject();
  w.Key(key);
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return JsonResponse(std::move(out));
}

}  // namespace

Result<int64_t> ParseQueryStep(const HttpRequest& req, int64_t start_ns, int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(int64_t step, ParseDurationParam(req, "step"));
  if (!req.FindParam("step").has_value() || req.Param("step").empty())
    step = logql::Engine::DefaultStepNs(start_ns, end_ns);
  if (step <= 0) {
    return InvalidArgumentError(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if ((end_ns - start_ns) / step > kMaxPoints) {
    return InvalidArgumentError(
        "exceeded maximum resolution of 11,000 points per time series. Try increasing the value "
        "of the step parameter");
  }
  return step;
}

void RegisterIndexAndAuxRoutes(const HandlerContext& ctx, Router* router) {
  const std::vector<std::string> get_post = {"GET", "POST"};
  router->Add("loki_api_v1_index_stats", get_post, "/loki/api/v1/index/stats",
              [ctx](const HttpRequest& req) { return HandleIndexStats(ctx, req); });
  router->Add("loki_api_v1_index_volume", get_post, "/loki/api/v1/index/volume",
              [ctx](const HttpRequest& req) { return HandleVolume(ctx, req, false); });
  router->Add("loki_api_v1_index_volume_range", get_post, "/loki/api/v1/index/volume_range",
              [ctx](const HttpRequest& req) { return HandleVolume(ctx, req, true); });
  router->Add("loki_api_v1_drilldown_limits", {"GET"}, "/loki/api/v1/drilldown-limits",
              [ctx](const HttpRequest& req) { return HandleDrilldownLimits(ctx, req); });
  router->Add("loki_api_v1_format_query", get_post, "/loki/api/v1/format_query",
              [](const HttpRequest& req) { return HandleFormatQuery(req); });
  router->Add("prometheus_api_v1_rules", {"GET"}, "/prometheus/api/v1/rules",
              [](const HttpRequest&) { return EmptyRulerAnswer("groups"); });
  router->Add("prometheus_api_v1_alerts", {"GET"}, "/prometheus/api/v1/alerts",
              [](const HttpRequest&) { return EmptyRulerAnswer("alerts"); });
  // A tail request that reaches the router did not ask for a WebSocket upgrade.
  router->Add("loki_api_v1_tail", {"GET"}, "/loki/api/v1/tail", [](const HttpRequest&) {
    return TextResponse(400,
                        "websocket: the client is not using the websocket protocol: 'upgrade' "
                        "token not found in 'Connection' header");
  });
}

void RegisterGrafanaRoutes(const HandlerContext& ctx, const GrafanaLimits& limits, Router* router) {
  RegisterIndexAndAuxRoutes(ctx, router);
  RegisterDrilldownRoutes(ctx, limits, router);
}

void RegisterGrafanaRoutes(const HandlerContext& ctx, Router* router) {
  RegisterGrafanaRoutes(ctx, GrafanaLimits{}, router);
}

}  // namespace sluice::server
