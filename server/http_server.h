// HttpServer: the Boost.Beast HTTP/1.1 transport (house style #14). Accepts connections on one
// address, reads requests with keep-alive (one request at a time per connection, each
// connection on its own strand), converts them to HttpRequest, runs the handler on a worker
// pool (handlers may block: WAL group commit, long queries) and writes the HttpResponse back.
// Beast/Asio stay inside http_server.cc; this header includes none of it.
//
//   HttpServerOptions opts; opts.address = "127.0.0.1"; opts.port = 3100;
//   auto server = HttpServer::Start(opts, [&](HttpRequest r) { return router.Handle(r); });
//   if (!server.ok()) ...;                        // e.g. port busy: IOError naming the address
//   ...                                           // until SIGTERM
//   (*server)->Shutdown(std::chrono::seconds(10));  // stop accepting, finish in-flight, stop
//
// Thread-safety: Start/Shutdown from one controlling thread; the handler runs concurrently on
// the worker threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "server/http_types.h"

namespace sluice::server {

struct TailContext;

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal, or "localhost"
  uint16_t port = 3100;               // 0 picks a free port (see HttpServer::port())
  // Threads running the network I/O. 0 = number of cores.
  int io_threads = 0;
  // Threads running handlers. 0 = max(4, 2 x cores): pushes block on the WAL sync, and more
  // concurrent pushes make bigger group commits.
  int worker_threads = 0;
  // Largest request body in bytes; larger ones get 413 with Loki's text and the connection
  // is closed. Loki's default server receive limit is 100 MiB.
  size_t body_limit = 100u << 20;
  // Largest request head (request line + headers); long query URLs need more than Beast's 8 KiB.
  size_t header_limit = 1u << 20;
  // A connection idle (or a request not fully read) this long is closed.
  std::chrono::milliseconds read_timeout{120'000};
  std::chrono::milliseconds write_timeout{120'000};
  // When set, GET /loki/api/v1/tail WebSocket upgrades are handed to the tail session
  // (server/tail_websocket.h); otherwise they get the plain-HTTP 400.
  std::shared_ptr<const TailContext> tail;
};

class HttpServer {
 public:
  using RequestHandler = std::function<HttpResponse(HttpRequest)>;

  // Binds, listens and starts the threads. Errors: IOError "listen tcp <addr>:<port>: <why>"
  // (address in use, permission denied, bad address).
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                   RequestHandler handler);

  // Stops accepting, answers in-flight requests (with Connection: close), waits up to `grace`
  // for them, then closes every connection and joins the threads. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

  ~HttpServer();

  // The bound port (useful with port 0).
  uint16_t port() const;
  // Requests read but not yet answered.
  int64_t inflight() const;

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::server
