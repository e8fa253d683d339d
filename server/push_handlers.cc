// POST /loki/api/v1/push (and the legacy /api/prom/push): HTTP plumbing around
// ingest::PushHandler.
#include "ingest/push_handler.h"
#include "server/config.h"
#include "server/handlers.h"
#include "server/request_params.h"
#include "server/server_metrics.h"

namespace sluice::server {

namespace {

HttpResponse HandlePush(const HandlerContext& ctx, const HttpRequest& req) {
  auto tenant = ResolveTenant(req, ctx.config->auth_enabled, ctx.config->default_tenant);
  if (!tenant.ok())
    return ErrorResponse(tenant.status());
  ingest::PushHttpRequest preq;
  preq.tenant = *tenant;
  preq.has_content_type = req.HasHeader("content-type");
  preq.content_type = req.Header("content-type");
  preq.content_encoding = req.Header("content-encoding");
  preq.body = req.body;
  ingest::PushResponse presp = ctx.push->Handle(preq);
  if (ctx.metrics != nullptr) {
    ctx.metrics->RecordPush(*tenant, presp.lines_accepted, presp.bytes_accepted);
  }
  if (presp.http_status == 204) {
    HttpResponse r;
    r.status = 204;
    return r;
  }
  return TextResponse(presp.http_status, std::move(presp.body));
}

}  // namespace

void RegisterPushRoutes(const HandlerContext& ctx, Router* router) {
  auto h = [ctx](const HttpRequest& req) { return HandlePush(ctx, req); };
  router->Add("loki_api_v1_push", {"POST"}, "/loki/api/v1/push", h);
  router->Add("api_prom_push", {"POST"}, "/api/prom/push", h);
}

}  // namespace sluice::server
