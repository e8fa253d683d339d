// Operational endpoints: GET /ready, GET /metrics, GET /loki/api/v1/status/buildinfo.
#include "server/build_info.h"
#include "server/handlers.h"
#include "server/json_writer.h"
#include "server/server_metrics.h"
#include "server/storage.h"

namespace sluice::server {

namespace {

HttpResponse HandleReady(const HandlerContext& ctx) {
  if (ctx.ready != nullptr && !ctx.ready->load())
    return TextResponse(503, "Not ready: stopping");
  return TextResponse(200, "ready\n");
}

HttpResponse HandleMetrics(const HandlerContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = ctx.metrics->Render(ctx.storage != nullptr ? ctx.storage->store() : nullptr);
  return r;
}

HttpResponse HandleBuildInfo() {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("version");
  w.String(kSluiceVersion);
  w.Key("revision");
  w.String(kSluiceRevision);
  w.Key("branch");
  w.String("HEAD");
  w.Key("buildUser");
  w.String("");
  w.Key("buildDate");
  w.String(kSluiceBuildDate);
  w.Key("goVersion");
  w.String("");
  w.EndObject();
  return JsonResponse(std::move(out));
}

}  // namespace

void RegisterOpsRoutes(const HandlerContext& ctx, Router* router) {
  router->Add("ready", {"GET"}, "/ready", [ctx](const HttpRequest&) { return HandleReady(ctx); });
  router->Add("metrics", {"GET"}, "/metrics",
              [ctx](const HttpRequest&) { return HandleMetrics(ctx); });
  router->Add("loki_api_v1_status_buildinfo", {"GET"}, "/loki/api/v1/status/buildinfo",
              [](const HttpRequest&) { return HandleBuildInfo(); });
}

}  // namespace sluice::server
