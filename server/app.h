// App: one running Sluice server, wired together: Storage (chunks + index), ingest's
// PushHandler, logql's Engine, metrics, the Router with every Loki route, and (optionally) the
// HttpServer transport. main.cc drives it; tests use it with or without sockets.
//
//   ServerConfig config;  config.data_dir = dir;  config.http.port = 0;
//   SLUICE_ASSIGN_OR_RETURN(auto app, App::Start(config, /*listen=*/true));
//   ... app->port() ...
//   SLUICE_RETURN_IF_ERROR(app->Shutdown());   // stop accepting, drain, flush storage
//
//   auto app = App::Start(config, /*listen=*/false);   // handler tests: no sockets
//   HttpResponse r = (*app)->Handle(request);
//
// Thread-safety: Handle() may run concurrently; Start/Shutdown from one thread.
#pragma once

#include <atomic>
#include <memory>

#include "common/metrics.h"
#include "common/result.h"
#include "server/config.h"
#include "server/http_types.h"

namespace sluice::ingest {
class PushHandler;
}

namespace sluice::logql {
class Engine;
}

namespace sluice::server {

class HttpServer;
class Router;
class ServerMetrics;
class Storage;
class TailHub;
class TailingAppender;

class App {
 public:
  // Opens storage under config.data_dir and, when `listen`, starts serving on
  // config.http.address:port. Errors: unwritable data dir, corrupt index, busy port, ...
  static Result<std::unique_ptr<App>> Start(ServerConfig config, bool listen);
  ~App();

  // Runs one request through the router, as the transport would.
  HttpResponse Handle(HttpRequest request) const;

  // Bound port (0 when not listening).
  uint16_t port() const;

  Storage* storage() { return storage_.get(); }

  // /ready turns 503, the transport stops accepting and drains in-flight requests (up to
  // config.shutdown_grace_ns), then storage flushes heads and index. Idempotent.
  Status Shutdown();

 private:
  App();

  ServerConfig config_;
  std::atomic<bool> ready_{false};
  Registry registry_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<Storage> storage_;
  // Live tail: the hub fans accepted pushes out to /tail sessions; the appender wraps storage
  // so the push path publishes what was stored. Declared before http_ so they outlive it.
  std::unique_ptr<TailHub> tail_hub_;
  std::unique_ptr<TailingAppender> tail_appender_;
  std::unique_ptr<ingest::PushHandler> push_;
  std::unique_ptr<logql::Engine> engine_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> http_;
  bool shut_down_ = false;
};

}  // namespace sluice::server
