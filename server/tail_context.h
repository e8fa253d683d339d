// TailContext: what a live-tail WebSocket session (tail_websocket.h) needs, in a header free of
// Beast, so that app.cc, which builds it, and http_server.h, which carries it, stay light
// translation units.
//
//   auto tail = std::make_shared<TailContext>();
//   tail->handler = ctx;            // config (tenants, limits), engine (replay), clock
//   tail->hub = tail_hub.get();
//   http_options.tail = std::move(tail);
//
// Lifetime: everything pointed to must outlive every tail session; shut the hub down first
// (that ends the sessions).
#pragma once

#include "server/handlers.h"

namespace sluice::server {

class TailHub;

struct TailContext {
  HandlerContext handler;
  TailHub* hub = nullptr;
};

}  // namespace sluice::server
