// detected_labels, detected_fields, detected_field/<name>/values and patterns (Logs
// Drilldown), over logql/drilldown. See grafana_handlers.h.
#include <charconv>

#include "common/time_util.h"
#include "logql/drilldown/detected_fields.h"
#include "logql/drilldown/detected_labels.h"
#include "logql/drilldown/entry_filter.h"
#include "logql/drilldown/pattern_miner.h"
#include "logql/engine.h"
#include "logql/syntax/parser.h"
#include "server/config.h"
#include "server/grafana_handlers.h"
#include "server/handler_util.h"
#include "server/json_writer.h"
#include "server/request_params.h"
#include "server/storage.h"

namespace sluice::server {

namespace {

using logql::drilldown::DetectedField;
using logql::drilldown::FieldTypeName;

Result<ReadRequest> ParseRange(const HandlerContext& ctx, const HttpRequest& req) {
  SLUICE_ASSIGN_OR_RETURN(ReadRequest r, ParseReadRequest(ctx, req));
  if (r.range.end_ns < r.range.start_ns)
    return InvalidArgumentError("end timestamp must not be before or equal to start time");
  return r;
}

// A positive integer parameter (`line_limit`, `limit`) with Loki's texts.
Result<uint32_t> PositiveParam(const HttpRequest& req, std::string_view name, uint32_t def) {
  std::string_view v = req.Param(name);
  if (v.empty())
    return def;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || ptr != v.data() + v.size()) {
    return InvalidArgumentError("strconv.ParseInt: parsing \"" + std::string(v) +
                                "\": invalid syntax");
  }
  if (n <= 0)
    return InvalidArgumentError("limit must be a positive value");
  if (n > UINT32_MAX) {
    return InvalidArgumentError(std::string(name) + " value " + std::string(v) +
                                " is out of range [0, 4294967295]");
  }
  return static_cast<uint32_t>(n);
}

HttpResponse HandleDetectedLabels(const HandlerContext& ctx, const HttpRequest& req) {
  auto r = ParseRange(ctx, req);
  if (!r.ok())
    return ErrorResponse(r.status());
  auto matchers = ParseSelectorParam(req.Param("query"));
  if (!matchers.ok())
    return ErrorResponse(matchers.status());
  auto series = ctx.storage->Series(r->tenant, *matchers, r->range.start_ns, r->range.end_ns);
  if (!series.ok())
    return QueryErrorResponse(series.status());
  logql::drilldown::DetectedLabelsCollector collector;
  for (const Labels& s : *series)
    collector.Add(s);
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("detectedLabels");
  w.BeginArray();
  for (const auto& l : collector.Labels()) {
    w.BeginObject();
    w.Key("label");
    w.String(l.label);
    w.Key("cardinality");
    w.Uint(l.cardinality);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return JsonResponse(std::move(out));
}

// The log query detected_fields scans: the newest `line_limit` entries of the range.
Result<logql::QueryResult> RunFieldQuery(const HandlerContext& ctx, const HttpRequest& req,
                                         const ReadRequest& r, uint32_t line_limit) {
  std::string_view query = req.Param("query");
  SLUICE_RETURN_IF_ERROR(logql::syntax::ParseLogSelector(query).status());
  SLUICE_RETURN_IF_ERROR(ParseQueryStep(req, r.range.start_ns, r.range.end_ns).status());
  logql::QueryParams p;
  p.query = std::string(query);
  p.start_ns = r.range.start_ns;
  p.end_ns = r.range.end_ns;
  p.limit = line_limit;
  p.direction = Direction::kBackward;
  return ctx.engine->Exec(r.tenant, p);
}

void WriteStrings(const std::vector<std::string>& v, JsonWriter* w) {
  w->BeginArray();
  for (const auto& s : v)
    w->String(s);
  w->EndArray();
}

void WriteField(const DetectedField& f, JsonWriter* w) {
  w->BeginObject();
  w->Key("label");
  w->String(f.label);
  w->Key("type");
  w->String(FieldTypeName(f.type));
  w->Key("cardinality");
  w->Uint(f.cardinality);
  w->Key("parsers");
  if (f.parsers.empty()) {
    w->Null();  // structured metadata
  } else {
    WriteStrings(f.parsers, w);
  }
  if (!f.json_path.empty()) {
    w->Key("jsonPath");
    WriteStrings(f.json_path, w);
  }
  w->EndObject();
}

// detected_fields (values == false) and detected_field/<name>/values (values == true).
HttpResponse HandleDetectedFields(const HandlerContext& ctx, const GrafanaLimits& limits,
                                  const HttpRequest& req, bool values) {
  auto r = ParseRange(ctx, req);
  if (!r.ok())
    return ErrorResponse(r.status());
  auto line_limit = PositiveParam(req, "line_limit", limits.default_line_limit);
  if (!line_limit.ok())
    return ErrorResponse(line_limit.status());
  std::string_view limit_name = req.Param("limit").empty() ? "field_limit" : "limit";
  auto limit = PositiveParam(req, limit_name, 1000);
  if (!limit.ok())
    return ErrorResponse(limit.status());
  auto result = RunFieldQuery(ctx, req, *r, *line_limit);
  if (!result.ok())
    return QueryErrorResponse(result.status());

  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (values) {
    logql::drilldown::FieldValuesCollector collector(req.path_params.at(0), *limit);
    for (const logql::ResultStream& s : result->streams) {
      for (const logql::ResultEntry& e : s.entries)
        collector.Add(s.stream_labels, e.line, e.structured_metadata, e.parsed);
    }
    w.Key("values");
    WriteStrings(collector.Values(), &w);
  } else {
    logql::drilldown::FieldDetector detector(*limit);
    for (const logql::ResultStream& s : result->streams) {
      for (const logql::ResultEntry& e : s.entries)
        detector.Add(s.stream_labels, e.line, e.structured_metadata, e.parsed);
    }
    w.Key("fields");
    w.BeginArray();
    for (const DetectedField& f : detector.Fields())
      WriteField(f, &w);
    w.EndArray();
  }
  w.Key("limit");
  w.Uint(*limit);
  w.EndObject();
  return JsonResponse(std::move(out));
}

void WritePatterns(const std::vector<logql::drilldown::PatternSeries>& patterns, JsonWriter* w) {
  w->BeginObject();
  w->Key("status");
  w->String("success");
  w->Key("data");
  w->BeginArray();
  for (const auto& s : patterns) {
    w->BeginObject();
    w->Key("pattern");
    w->String(s.pattern);
    w->Key("level");
    w->String(s.level);
    w->Key("samples");
    w->BeginArray();
    for (const auto& [ts, count] : s.samples) {
      w->BeginArray();
      w->Int(ts / kNanosPerSecond);  // integer seconds, as Loki's model.Time.Unix()
      w->Int(count);
      w->EndArray();
    }
    w->EndArray();
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

HttpResponse HandlePatterns(const HandlerContext& ctx, const GrafanaLimits& limits,
                            const HttpRequest& req) {
  auto r = ParseRange(ctx, req);
  if (!r.ok())
    return ErrorResponse(r.status());
  auto step = ParseQueryStep(req, r->range.start_ns, r->range.end_ns);
  if (!step.ok())
    return ErrorResponse(step.status());
  auto filter = logql::drilldown::EntryFilter::Parse(req.Param("query"));
  if (!filter.ok())
    return ErrorResponse(filter.status());
  logql::SelectLogsParams p;
  p.tenant = r->tenant;
  p.matchers = (*filter)->matchers();
  p.start_ns = r->range.start_ns;
  p.end_ns = r->range.end_ns;
  p.direction = Direction::kBackward;  // newest first: the line cap drops the oldest lines
  p.line_filter = (*filter)->pushdown();
  auto it = ctx.storage->SelectLogs(p);
  if (!it.ok())
    return QueryErrorResponse(it.status());
  logql::drilldown::PatternMinerOptions mo;
  mo.start_ns = r->range.start_ns;
  mo.end_ns = r->range.end_ns;
  mo.step_ns = *step;
  logql::drilldown::PatternMiner miner(mo);
  const bool stages = (*filter)->has_stages();
  int64_t scanned = 0;
  while (scanned < limits.max_pattern_lines && (*it)->Next()) {
    const Entry& e = (*it)->At();
    ++scanned;
    std::string_view line;
    if (stages && !(*filter)->Process((*it)->StreamLabels(), e, &line))
      continue;
    miner.Add((*it)->StreamHash(), e);
  }
  if (!(*it)->status().ok())
    return QueryErrorResponse((*it)->status());
  std::string out;
  JsonWriter w(&out);
  WritePatterns(miner.Patterns(), &w);
  return JsonResponse(std::move(out));
}

}  // namespace

void RegisterDrilldownRoutes(const HandlerContext& ctx, const GrafanaLimits& limits,
                             Router* router) {
  const std::vector<std::string> get_post = {"GET", "POST"};
  router->Add("loki_api_v1_detected_labels", get_post, "/loki/api/v1/detected_labels",
              [ctx](const HttpRequest& req) { return HandleDetectedLabels(ctx, req); });
  router->Add("loki_api_v1_detected_fields", get_post, "/loki/api/v1/detected_fields",
              [ctx, limits](const HttpRequest& req) {
                return HandleDetectedFields(ctx, limits, req, /*values=*/false);
              });
  router->Add("loki_api_v1_detected_field_values", get_post,
              "/loki/api/v1/detected_field/{}/values", [ctx, limits](const HttpRequest& req) {
                return HandleDetectedFields(ctx, limits, req, /*values=*/true);
              });
  router->Add("loki_api_v1_patterns", get_post, "/loki/api/v1/patterns",
              [ctx, limits](const HttpRequest& req) { return HandlePatterns(ctx, limits, req); });
}

}  // namespace sluice::server
