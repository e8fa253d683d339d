// The real HttpClient over Boost.Beast (the only agent file with Beast/Asio). One connection
// kept alive between requests; any error closes it and the next request reconnects. Each
// request runs on a private io_context with a deadline covering resolve, connect, write, read.
#include <chrono>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "agent/http_client.h"

namespace sluice::agent {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class BeastHttpClient final : public HttpClient {
 public:
  Result<HttpReply> Post(const HttpPost& req) override {
    Result<HttpReply> r = Attempt(req);
    if (!r.ok())
      Close();
    return r;
  }

 private:
  void Close() {
    if (stream_) {
      beast::error_code ec;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_->close();
    }
    stream_.reset();
    connected_to_.clear();
  }

  Result<HttpReply> Attempt(const HttpPost& req) {
    const auto timeout = std::chrono::nanoseconds(req.timeout_ns);
    const std::string endpoint = req.host + ":" + std::to_string(req.port);
    ioc_.restart();
    beast::error_code ec;
    bool timed_out = false;
    if (!stream_ || connected_to_ != endpoint) {
      Close();
      stream_.emplace(ioc_);
      tcp::resolver resolver(ioc_);
      auto results = resolver.resolve(req.host, std::to_string(req.port), ec);
      if (ec)
        return IOError("resolve " + req.host + ": " + ec.message());
      stream_->expires_after(timeout);
      stream_->async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
      ioc_.run();
      ioc_.restart();
      if (ec) {
        timed_out = ec == beast::error::timeout;
        Close();
        return Status(timed_out ? StatusCode::kDeadlineExceeded : StatusCode::kIOError,
                      "connect " + endpoint + ": " + ec.message());
      }
      connected_to_ = endpoint;
    }
    http::request<http::string_body> request{http::verb::post, req.target, 11};
    request.set(http::field::host, req.host);
    request.set(http::field::user_agent, "sluice-agent");
    for (const auto& [k, v] : req.headers)
      request.set(k, v);
    request.body() = req.body;
    request.keep_alive(true);
    request.prepare_payload();

    stream_->expires_after(timeout);
    http::async_write(*stream_, request, [&](beast::error_code e, size_t) { ec = e; });
    ioc_.run();
    ioc_.restart();
    if (ec)
      return Status(StatusCode::kIOError, "write " + endpoint + ": " + ec.message());

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    stream_->expires_after(timeout);
    http::async_read(*stream_, buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
    ioc_.run();
    ioc_.restart();
    if (ec) {
      return Status(
          ec == beast::error::timeout ? StatusCode::kDeadlineExceeded : StatusCode::kIOError,
          "read " + endpoint + ": " + ec.message());
    }
    auto& response = parser.get();
    HttpReply reply;
    reply.status = static_cast<int>(response.result_int());
    if (auto it = response.find(http::field::retry_after); it != response.end()) {
      reply.retry_after = std::string(it->value());
    }
    reply.body = std::move(response.body());
    if (!response.keep_alive())
      Close();
    return reply;
  }

  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  std::string connected_to_;
};

}  // namespace

std::unique_ptr<HttpClient> NewBeastHttpClient() {
  return std::make_unique<BeastHttpClient>();
}

}  // namespace sluice::agent
