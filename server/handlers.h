// The Loki HTTP API handlers, as pure functions of HttpRequest (no Beast, no sockets), and
// their registration in a Router. Each handler resolves and validates the tenant first
// (X-Scope-OrgID; see request_params.h), then answers with Loki's JSON or Loki's plain-text
// errors.
//
//   HandlerContext ctx{&config, storage.get(), &push, &engine, &metrics, Clock::Default(), &ready};
//   Router router(metrics.request_duration());
//   RegisterRoutes(ctx, &router);
//
// Thread-safety: handlers run concurrently; everything in the context must be thread-safe.
#pragma once

#include <atomic>

#include "common/clock.h"
#include "server/router.h"

namespace sluice::ingest {
class PushHandler;
}

namespace sluice::logql {
class Engine;
}

namespace sluice::server {

struct ServerConfig;
class Storage;
class ServerMetrics;

struct HandlerContext {
  const ServerConfig* config = nullptr;
  Storage* storage = nullptr;
  ingest::PushHandler* push = nullptr;
  const logql::Engine* engine = nullptr;
  ServerMetrics* metrics = nullptr;
  Clock* clock = Clock::Default();
  // /ready answers 200 only while true (false while starting and once shutdown begins).
  const std::atomic<bool>* ready = nullptr;
};

// Every route below; the context's pointers are borrowed and must outlive the router.
void RegisterRoutes(const HandlerContext& ctx, Router* router);

// By group (push_handlers.cc, query_handlers.cc, metadata_handlers.cc, ops_handlers.cc).
void RegisterPushRoutes(const HandlerContext& ctx, Router* router);
void RegisterQueryRoutes(const HandlerContext& ctx, Router* router);
void RegisterMetadataRoutes(const HandlerContext& ctx, Router* router);
void RegisterOpsRoutes(const HandlerContext& ctx, Router* router);

}  // namespace sluice::server
