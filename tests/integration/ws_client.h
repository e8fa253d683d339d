// A small blocking WebSocket client for the live-tail tests (GET /loki/api/v1/tail). Beast
// stays in ws_client.cc (the one test translation unit that includes it); this header is
// plain C++. Each client owns its own io_context, so many can be driven from one test thread.
//
//   WsConnectResult c = WsConnect(port, "/loki/api/v1/tail?query=...", {{"X-Scope-OrgID", "a"}});
//   if (!c.client) FAIL() << c.http_status << " " << c.body;   // refused before the upgrade
//   WsMessage m = c.client->Read(std::chrono::seconds(2));    // kText / kTimeout / kClosed
//
// Thread-safety: one thread per client.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http_client.h"

namespace sluice::integration {

struct WsMessage {
  enum Kind { kText, kTimeout, kClosed };

  Kind kind = kTimeout;
  std::string text;    // kText: the message
  int close_code = 0;  // kClosed: the peer's close code (0: connection dropped without one)
  std::string close_reason;
  std::string error;  // kClosed: what ended the connection
};

class WsClient {
 public:
  virtual ~WsClient() = default;

  // Waits up to `timeout` for the next message (answering pings meanwhile). A read left
  // unfinished by a timeout continues on the next call.
  virtual WsMessage Read(std::chrono::milliseconds timeout) = 0;
  // Sends a close frame (1000) and waits briefly for the server's.
  virtual void Close() = 0;
  // Drops the TCP connection without a close frame; `reset` sends an RST (SO_LINGER 0).
  virtual void Abort(bool reset) = 0;
};

struct WsConnectOptions {
  Headers headers;
  // SO_RCVBUF for the client socket (0: the system default). A small buffer makes a client
  // that does not read stall the server's writes quickly.
  int receive_buffer_bytes = 0;
  std::chrono::milliseconds timeout{10000};
};

struct WsConnectResult {
  std::unique_ptr<WsClient> client;  // null when the upgrade was refused or failed
  int http_status = 0;               // 101 on success; the refusal's status otherwise
  std::string body;                  // the refusal's body
  std::string error;
};

WsConnectResult WsConnect(uint16_t port, const std::string& target,
                          const WsConnectOptions& options = {});

}  // namespace sluice::integration
