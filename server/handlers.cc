#include "server/handlers.h"

namespace sluice::server {

void RegisterRoutes(const HandlerContext& ctx, Router* router) {
  RegisterPushRoutes(ctx, router);
  RegisterQueryRoutes(ctx, router);
  RegisterMetadataRoutes(ctx, router);
  RegisterOpsRoutes(ctx, router);
}

}  // namespace sluice::server
