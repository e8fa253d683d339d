// GET|POST /loki/api/v1/labels (alias /label), /label/<name>/values and /series, answered from
// the LevelDB index alone (every accepted entry registers its stream for its day before the push
// is acknowledged; no chunk is read, no stream of the store walked). Default range: the last hour.
#include "server/config.h"
#include "server/handler_util.h"
#include "server/handlers.h"
#include "server/query_json.h"
#include "server/request_params.h"
#include "server/storage.h"

namespace sluice::server {

namespace {

HttpResponse HandleLabels(const HandlerContext& ctx, const HttpRequest& req) {
  auto m = ParseReadRequest(ctx, req);
  if (!m.ok())
    return ErrorResponse(m.status());
  auto matchers = ParseSelectorParam(req.Param("query"));
  if (!matchers.ok())
    return ErrorResponse(matchers.status());
  auto names = ctx.storage->LabelNames(m->tenant, *matchers, m->range.start_ns, m->range.end_ns);
  if (!names.ok())
    return ErrorResponse(names.status());
  return JsonResponse(RenderStringList(*names));
}

HttpResponse HandleLabelValues(const HandlerContext& ctx, const HttpRequest& req) {
  auto m = ParseReadRequest(ctx, req);
  if (!m.ok())
    return ErrorResponse(m.status());
  auto matchers = ParseSelectorParam(req.Param("query"));
  if (!matchers.ok())
    return ErrorResponse(matchers.status());
  const std::string& name = req.path_params.at(0);
  auto values =
      ctx.storage->LabelValues(m->tenant, name, *matchers, m->range.start_ns, m->range.end_ns);
  if (!values.ok())
    return ErrorResponse(values.status());
  return JsonResponse(RenderStringList(*values));
}

HttpResponse HandleSeries(const HandlerContext& ctx, const HttpRequest& req) {
  auto m = ParseReadRequest(ctx, req);
  if (!m.ok())
    return ErrorResponse(m.status());
  std::vector<std::string_view> groups = req.Params("match[]");
  for (auto g : req.Params("match"))
    groups.push_back(g);
  if (groups.empty())
    return TextResponse(400, "0 matcher groups supplied");
  std::vector<Labels> all;
  for (auto g : groups) {
    auto matchers = ParseSelectorParam(g);
    if (!matchers.ok())
      return ErrorResponse(matchers.status());
    auto series = ctx.storage->Series(m->tenant, *matchers, m->range.start_ns, m->range.end_ns);
    if (!series.ok())
      return ErrorResponse(series.status());
    for (auto& s : *series)
      all.push_back(std::move(s));
  }
  if (groups.size() > 1) {
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
  }
  return JsonResponse(RenderLabelSets(all));
}

}  // namespace

void RegisterMetadataRoutes(const HandlerContext& ctx, Router* router) {
  auto labels = [ctx](const HttpRequest& req) { return HandleLabels(ctx, req); };
  router->Add("loki_api_v1_labels", {"GET", "POST"}, "/loki/api/v1/labels", labels);
  router->Add("loki_api_v1_labels", {"GET", "POST"}, "/loki/api/v1/label", labels);
  router->Add("loki_api_v1_label_values", {"GET", "POST"}, "/loki/api/v1/label/{}/values",
              [ctx](const HttpRequest& req) { return HandleLabelValues(ctx, req); });
  router->Add("loki_api_v1_series", {"GET", "POST"}, "/loki/api/v1/series",
              [ctx](const HttpRequest& req) { return HandleSeries(ctx, req); });
}

}  // namespace sluice::server
