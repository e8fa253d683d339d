// The WebSocket side of GET /loki/api/v1/tail (Boost.Beast; only http_server.cc includes this
// header). The transport hands over a connection whose request asks for a WebSocket upgrade of
// the tail path; the session checks the parameters first (tail_params.h: a bad query, limit or
// delay_for > 5 gets a plain-text HTTP error, no upgrade), subscribes to the TailHub, accepts
// the upgrade, sends the matches since `start` (newest `limit`, oldest first), then live frames
// (tail_hub.h RenderTailFrame) as text messages, a ping about every second, and closes with
// 1001 (going away) when the hub shuts down or stops when the client disconnects.
//
// Hook in http_server.cc (Session::OnRead, after a complete request was read):
//   if (tail != nullptr && IsTailUpgrade(parser_->get())) {
//     return StartTailSession(stream_.release_socket(), parser_->release(), tail);
//   }
//
// A push wakes the session at once (TailSubscription::SetNotify); a 25 ms timer covers
// delay_for, pings and shutdown. An entry pushed while the replay runs is sent once.
// A slow client is never buffered without bound: frames are only taken from the subscription
// while no write is pending, so the hub's bounded queue fills and reports dropped_entries.
// Thread-safety: each session runs on its socket's executor (a strand); StartTailSession may be
// called from any io thread.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/tail_context.h"

namespace sluice::server {

using TailHttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A GET whose path ends in /loki/api/v1/tail and that asks for a WebSocket upgrade.
bool IsTailUpgrade(const TailHttpRequest& req);

// Takes over the connection (see above). Never throws.
void StartTailSession(boost::asio::ip::tcp::socket socket, TailHttpRequest req,
                      std::shared_ptr<const TailContext> ctx);

}  // namespace sluice::server
