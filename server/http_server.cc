#include "server/http_server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/optional.hpp>
#include <spdlog/spdlog.h>

#include "server/tail_websocket.h"

namespace sluice::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, RequestHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        workers_(static_cast<size_t>(options_.worker_threads)),
        acceptor_(net::make_strand(ioc_)) {}

  Status Listen();
  void StartThreads();
  void Shutdown(std::chrono::milliseconds grace);

  uint16_t port() const { return port_; }

  // Called by sessions.
  const HttpServerOptions& options() const { return options_; }

  bool draining() const { return draining_.load(); }

  void RequestStarted() { inflight_.fetch_add(1); }

  void RequestFinished() {
    if (inflight_.fetch_sub(1) == 1) {
      std::lock_guard lock(mu_);
      idle_cv_.notify_all();
    }
  }

  int64_t inflight() const { return inflight_.load(); }

  HttpResponse RunHandler(HttpRequest req) { return handler_(std::move(req)); }

  net::thread_pool& workers() { return workers_; }

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);

  HttpServerOptions options_;
  RequestHandler handler_;
  net::thread_pool workers_;
  // Declared after everything sessions use, so pending handlers (which own sessions) are
  // destroyed first.
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  // Keeps run() going while no I/O is pending, e.g. once the acceptor is closed and every
  // remaining request is in a handler on the worker pool (its response is posted back later).
  net::executor_work_guard<net::io_context::executor_type> work_{ioc_.get_executor()};
  std::vector<std::thread> io_threads_;
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> inflight_{0};
  std::mutex mu_;
  std::condition_variable idle_cv_;
  bool stopped_ = false;
  uint16_t port_ = 0;
};

namespace {

std::string_view View(beast::string_view s) {
  return std::string_view(s.data(), s.size());
}

HttpRequest ToHttpRequest(http::request<http::string_body>&& msg) {
  HttpRequest req;
  req.method = std::string(View(msg.method_string()));
  req.target = std::string(View(msg.target()));
  std::string_view target = req.target;
  size_t q = target.find('?');
  req.path = UrlDecode(target.substr(0, q), /*plus_as_space=*/false);
  if (q != std::string_view::npos)
    ParseQueryString(target.substr(q + 1), &req.params);
  for (const auto& field : msg) {
    req.headers.emplace_back(AsciiLower(View(field.name_string())),
                             std::string(View(field.value())));
  }
  req.body = std::move(msg.body());
  return req;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl* server)
      : stream_(std::move(socket)), server_(server) {}

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  // Reads the head first (body limit off), so an over-long Content-Length is answered with its
  // exact size and `Expect: 100-continue` can be honoured; then the body with the limit on.
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(
        std::numeric_limits<std::uint64_t>::max());  // boost::none misbehaves in 1.74
    parser_->header_limit(static_cast<uint32_t>(server_->options().header_limit));
    stream_.expires_after(server_->options().read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
  }

  void OnReadHeader(beast::error_code ec, size_t /*bytes*/) {
    if (ec)
      return OnRead(ec, 0);
    uint64_t limit = server_->options().body_limit;
    auto length = parser_->content_length();
    if (length && *length > limit)
      return TooLarge(std::to_string(*length));
    parser_->body_limit(limit);
    if (parser_->is_done())
      return OnRead(ec, 0);
    const auto& head = parser_->get();
    auto expect = head[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     head.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec)
                            return;
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  // 413 with Loki's text; the rest of the body is not read, so the connection closes after.
  void TooLarge(const std::string& size) {
    keep_alive_ = false;
    version_ = parser_->is_header_done() ? parser_->get().version() : 11;
    server_->RequestStarted();
    Write(TextResponse(413, "request body too large: " + size + " bytes, limit: " +
                                std::to_string(server_->options().body_limit) + " bytes"));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    if (ec == http::error::end_of_stream)
      return DoClose();
    if (ec == http::error::body_limit) {
      return TooLarge("more than " + std::to_string(server_->options().body_limit));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      version_ = 11;
      server_->RequestStarted();
      return Write(TextResponse(431, "request header fields too large"));
    }
    if (ec) {
      // Timeouts, resets and malformed HTTP end the connection; a garbled request line gets a
      // 400 so a human with telnet sees something.
      if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
          ec != http::error::partial_message) {
        keep_alive_ = false;
        version_ = 11;
        server_->RequestStarted();
        return Write(TextResponse(400, "malformed HTTP request: " + ec.message()));
      }
      return DoClose();
    }
    if (server_->options().tail != nullptr && IsTailUpgrade(parser_->get())) {
      // The WebSocket session owns the socket from here on; it is not an in-flight request.
      stream_.expires_never();
      return StartTailSession(stream_.release_socket(), parser_->release(),
                              server_->options().tail);
    }
    http::request<http::string_body> msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    server_->RequestStarted();
    stream_.expires_never();
    net::post(server_->workers(),
              [self = shared_from_this(), req = ToHttpRequest(std::move(msg))]() mutable {
                HttpResponse resp = self->server_->RunHandler(std::move(req));
                net::post(self->stream_.get_executor(), [self, resp = std::move(resp)]() mutable {
                  self->Write(std::move(resp));
                });
              });
  }

  void Write(HttpResponse resp) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(resp.status));
    if (!resp.content_type.empty())
      res->set(http::field::content_type, resp.content_type);
    for (auto& [k, v] : resp.headers)
      res->set(k, v);
    if (resp.status == 204 || resp.status == 304 || resp.status < 200)
      resp.body.clear();
    res->body() = std::move(resp.body);
    res->keep_alive(keep_alive_ && !server_->draining());
    res->prepare_payload();
    // 204/304 carry no body and, per RFC 9110, no Content-Length either.
    if (resp.status == 204 || resp.status == 304)
      res->erase(http::field::content_length);
    response_ = res;
    stream_.expires_after(server_->options().write_timeout);
    http::async_write(
        stream_, *res,
        beast::bind_front_handler(&Session::OnWrite, shared_from_this(), res->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, size_t /*bytes*/) {
    server_->RequestFinished();
    response_.reset();
    if (ec)
      return;
    if (close)
      return DoClose();
    DoRead();
  }

  void DoClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  HttpServer::Impl* server_;
  boost::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
};

}  // namespace

Status HttpServer::Impl::Listen() {
  std::string where = "listen tcp " + options_.address + ":" + std::to_string(options_.port);
  beast::error_code ec;
  std::string host = options_.address == "localhost" ? "127.0.0.1" : options_.address;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  net::ip::address addr = net::ip::make_address(host, ec);
  if (ec)
    return IOError(where + ": invalid address \"" + options_.address + "\"");
  tcp::endpoint endpoint(addr, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (ec)
    return IOError(where + ": socket: " + ec.message());
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec)
    return IOError(where + ": setsockopt: " + ec.message());
  acceptor_.bind(endpoint, ec);
  if (ec)
    return IOError(where + ": bind: " + ec.message());
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return IOError(where + ": listen: " + ec.message());
  port_ = acceptor_.local_endpoint(ec).port();
  return Status::Ok();
}

void HttpServer::Impl::StartThreads() {
  DoAccept();
  int n = options_.io_threads;
  for (int i = 0; i < n; ++i)
    io_threads_.emplace_back([this] { ioc_.run(); });
}

void HttpServer::Impl::DoAccept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         beast::bind_front_handler(&HttpServer::Impl::OnAccept, this));
}

void HttpServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open())
      return;
    spdlog::warn("accept failed: {}", ec.message());
  } else {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<Session>(std::move(socket), this)->Run();
  }
  if (acceptor_.is_open())
    DoAccept();
}

void HttpServer::Impl::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    if (stopped_)
      return;
    stopped_ = true;
  }
  draining_.store(true);
  // Close the acceptor on its strand so no accept handler races with it.
  std::promise<void> closed;
  net::post(acceptor_.get_executor(), [this, &closed] {
    beast::error_code ec;
    acceptor_.close(ec);
    closed.set_value();
  });
  if (!io_threads_.empty())
    closed.get_future().wait();
  {
    std::unique_lock lock(mu_);
    idle_cv_.wait_for(lock, grace, [this] { return inflight_.load() == 0; });
  }
  if (inflight_.load() != 0) {
    spdlog::warn("shutdown: {} requests still in flight after the grace period", inflight_.load());
  }
  ioc_.stop();
  for (auto& t : io_threads_)
    t.join();
  io_threads_.clear();
  workers_.join();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                      RequestHandler handler) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.io_threads <= 0)
    options.io_threads = cores;
  if (options.worker_threads <= 0)
    options.worker_threads = std::max(4, 2 * cores);
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  SLUICE_RETURN_IF_ERROR(impl->Listen());
  impl->StartThreads();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  impl_->Shutdown(std::chrono::milliseconds(0));
}

void HttpServer::Shutdown(std::chrono::milliseconds grace) {
  impl_->Shutdown(grace);
}

uint16_t HttpServer::port() const {
  return impl_->port();
}

int64_t HttpServer::inflight() const {
  return impl_->inflight();
}

}  // namespace sluice::server
