// The Beast side of ws_client.h (the only test translation unit of the integration suite that
// includes Beast). Blocking calls are async operations run on the client's own io_context
// until they finish or the caller's timeout passes.
#include "ws_client.h"

#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace sluice::integration {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

class BeastWsClient final : public WsClient {
 public:
  BeastWsClient() : ws_(ioc_) {}

  ~BeastWsClient() override {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
    Drain();
  }

  WsConnectResult Connect(uint16_t port, const std::string& target,
                          const WsConnectOptions& options) {
    WsConnectResult r;
    beast::error_code ec;
    tcp::socket& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(tcp::v4(), ec);
    if (!ec && options.receive_buffer_bytes > 0)
      sock.set_option(net::socket_base::receive_buffer_size(options.receive_buffer_bytes), ec);
    if (!ec)
      sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    if (ec) {
      r.error = "connect: " + ec.message();
      return r;
    }
    Headers headers = options.headers;
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [k, v] : headers)
        req.set(k, v);
    }));
    ws_.read_message_max(64u << 20);
    websocket::response_type res;
    bool done = false;
    ws_.async_handshake(res, "127.0.0.1:" + std::to_string(port), target,
                        [&](beast::error_code hec) {
                          done = true;
                          ec = hec;
                        });
    RunUntil([&] { return done; }, options.timeout);
    r.http_status = static_cast<int>(res.result_int());
    r.body = res.body();
    if (!done) {
      r.error = "handshake timed out";
      return r;
    }
    if (ec) {
      r.error = "handshake: " + ec.message();
      return r;
    }
    return r;
  }

  WsMessage Read(std::chrono::milliseconds timeout) override {
    WsMessage m;
    if (closed_) {
      m.kind = WsMessage::kClosed;
      m.error = "already closed";
      return m;
    }
    if (!read_pending_) {
      read_pending_ = true;
      read_done_ = false;
      buffer_.clear();
      ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
        read_done_ = true;
        read_ec_ = ec;
      });
    }
    RunUntil([this] { return read_done_; }, timeout);
    if (!read_done_)
      return m;  // kTimeout; the read stays pending
    read_pending_ = false;
    if (read_ec_) {
      closed_ = true;
      m.kind = WsMessage::kClosed;
      m.error = read_ec_.message();
      if (read_ec_ == websocket::error::closed) {
        m.close_code = ws_.reason().code;
        m.close_reason = std::string(ws_.reason().reason.c_str());
      }
      return m;
    }
    m.kind = WsMessage::kText;
    m.text = beast::buffers_to_string(buffer_.data());
    return m;
  }

  void Close() override {
    if (closed_)
      return;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    RunUntil([&] { return done && (!read_pending_ || read_done_); }, std::chrono::seconds(5));
    closed_ = true;
  }

  void Abort(bool reset) override {
    tcp::socket& sock = beast::get_lowest_layer(ws_).socket();
    beast::error_code ec;
    if (reset)
      sock.set_option(net::socket_base::linger(true, 0), ec);
    sock.close(ec);
    closed_ = true;
    Drain();
  }

 private:
  // Runs handlers until `done()` or the timeout; returns early when no work is left.
  void RunUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
      if (ioc_.stopped())
        ioc_.restart();
      if (ioc_.run_one_until(deadline) == 0)
        break;
    }
  }

  // Lets aborted operations finish (their handlers reference this object).
  void Drain() {
    if (ioc_.stopped())
      ioc_.restart();
    ioc_.run_for(std::chrono::seconds(2));
    read_pending_ = false;
  }

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  bool read_pending_ = false;
  bool read_done_ = false;
  beast::error_code read_ec_;
  bool closed_ = false;
};

}  // namespace

WsConnectResult WsConnect(uint16_t port, const std::string& target,
                          const WsConnectOptions& options) {
  auto client = std::make_unique<BeastWsClient>();
  WsConnectResult r = client->Connect(port, target, options);
  if (r.error.empty())
    r.client = std::move(client);
  return r;
}

}  // namespace sluice::integration
