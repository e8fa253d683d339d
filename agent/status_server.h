// StatusServer: the agent's tiny HTTP endpoint on server.http_listen_port: GET /metrics
// (Prometheus text) and GET /ready ("Ready" once tailing started, 503 before). Plain POSIX
// sockets on one thread, one request per connection: Beast stays in the shipper.
// Thread-safety: Start/Stop from the owner; the handlers read thread-safe state.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "common/status.h"

namespace sluice::agent {

class StatusServer {
 public:
  // `metrics` renders the /metrics body; `ready` says whether /ready is 200.
  StatusServer(std::function<std::string()> metrics, std::function<bool()> ready)
      : metrics_(std::move(metrics)), ready_(std::move(ready)) {}

  ~StatusServer() { Stop(); }

  // Binds address:port (port 0: any free port) and starts serving.
  Status Start(const std::string& address, int port);
  void Stop();

  uint16_t port() const { return port_; }

 private:
  void Serve();
  void Handle(int fd);

  std::function<std::string()> metrics_;
  std::function<bool()> ready_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace sluice::agent
