#include "server/app.h"

#include <spdlog/spdlog.h>

#include "ingest/push_handler.h"
#include "logql/engine.h"
#include "server/handlers.h"
#include "server/http_server.h"
#include "server/router.h"
#include "server/server_metrics.h"
#include "server/storage.h"
#include "server/tail_context.h"
#include "server/tail_hub.h"

namespace sluice::server {

App::App() = default;

App::~App() {
  Status st = Shutdown();
  if (!st.ok())
    spdlog::error("shutdown: {}", st.ToString());
}

Result<std::unique_ptr<App>> App::Start(ServerConfig config, bool listen) {
  std::unique_ptr<App> app(new App());
  app->config_ = std::move(config);
  const ServerConfig& c = app->config_;
  app->metrics_ = std::make_unique<ServerMetrics>(&app->registry_);

  StorageOptions so;
  so.dir = c.data_dir;
  so.store = c.store;
  so.index = c.index;
  SLUICE_ASSIGN_OR_RETURN(app->storage_, Storage::Open(std::move(so)));
  TailHubOptions tail_options;
  tail_options.clock = c.push.clock;
  app->tail_hub_ = std::make_unique<TailHub>(tail_options);
  app->tail_appender_ =
      std::make_unique<TailingAppender>(app->storage_.get(), app->tail_hub_.get());
  app->push_ = std::make_unique<ingest::PushHandler>(c.push, app->tail_appender_.get());
  app->engine_ = std::make_unique<logql::Engine>(app->storage_.get(), c.query);
  app->router_ = std::make_unique<Router>(app->metrics_->request_duration());

  HandlerContext ctx;
  ctx.config = &app->config_;
  ctx.storage = app->storage_.get();
  ctx.push = app->push_.get();
  ctx.engine = app->engine_.get();
  ctx.metrics = app->metrics_.get();
  ctx.clock = c.push.clock;
  ctx.ready = &app->ready_;
  RegisterRoutes(ctx, app->router_.get());

  if (listen) {
    HttpServerOptions ho = c.http;
    auto tail = std::make_shared<TailContext>();
    tail->handler = ctx;
    tail->hub = app->tail_hub_.get();
    ho.tail = std::move(tail);
    Router* router = app->router_.get();
    SLUICE_ASSIGN_OR_RETURN(app->http_, HttpServer::Start(std::move(ho), [router](HttpRequest r) {
                              return router->Handle(std::move(r));
                            }));
  }
  app->ready_.store(true);
  return app;
}

HttpResponse App::Handle(HttpRequest request) const {
  return router_->Handle(std::move(request));
}

uint16_t App::port() const {
  return http_ != nullptr ? http_->port() : 0;
}

Status App::Shutdown() {
  if (shut_down_)
    return Status::Ok();
  shut_down_ = true;
  ready_.store(false);
  if (tail_hub_ != nullptr) {
    // Open tails close first, each with a close frame (1001), so the drain below does not wait
    // on them; a client that stopped reading cannot take its frame and is cut off after 2 s.
    tail_hub_->Shutdown();
    if (!tail_hub_->WaitForSubscriptionsToEnd(std::chrono::seconds(2)))
      spdlog::warn("shutdown: some live tails did not take their close frame");
  }
  if (http_ != nullptr) {
    http_->Shutdown(std::chrono::milliseconds(config_.shutdown_grace_ns / 1'000'000));
  }
  if (storage_ == nullptr)
    return Status::Ok();
  return storage_->Close();
}

}  // namespace sluice::server
