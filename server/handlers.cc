#include "server/handlers.h"

#include "server/grafana_handlers.h"

namespace sluice::server {

void RegisterRoutes(const HandlerContext& ctx, Router* router) {
  RegisterPushRoutes(ctx, router);
  RegisterQueryRoutes(ctx, router);
  RegisterMetadataRoutes(ctx, router);
  RegisterOpsRoutes(ctx, router);
  RegisterGrafanaRoutes(ctx, router);  // issue 5: index/*, detected_*, patterns, ...
}

}  // namespace sluice::server
