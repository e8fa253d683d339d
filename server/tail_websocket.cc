#include "server/tail_websocket.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "server/tail_hub.h"
#include "server/tail_params.h"

namespace sluice::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto kPollInterval = std::chrono::milliseconds(25);
constexpr int64_t kPingIntervalNs = 1'000'000'000;
constexpr int64_t kReplayOverlapNs = 10'000'000'000;

std::string_view View(beast::string_view s) {
  return std::string_view(s.data(), s.size());
}

HttpRequest ToPlainRequest(const TailHttpRequest& msg) {
  HttpRequest req;
  req.method = std::string(View(msg.method_string()));
  req.target = std::string(View(msg.target()));
  std::string_view target = req.target;
  size_t q = target.find('?');
  req.path = UrlDecode(target.substr(0, q), /*plus_as_space=*/false);
  if (q != std::string_view::npos)
    ParseQueryString(target.substr(q + 1), &req.params);
  for (const auto& field : msg)
    req.headers.emplace_back(AsciiLower(View(field.name_string())),
                             std::string(View(field.value())));
  return req;
}

// Answers a refused tail with a plain HTTP error and closes the connection.
void RefuseTail(tcp::socket socket, unsigned version, const HttpResponse& r) {
  auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
  auto res = std::make_shared<http::response<http::string_body>>();
  res->version(version);
  res->result(static_cast<unsigned>(r.status));
  res->set(http::field::content_type, r.content_type);
  res->set("X-Content-Type-Options", "nosniff");
  res->body() = r.body;
  res->keep_alive(false);
  res->prepare_payload();
  stream->expires_after(std::chrono::seconds(10));
  http::async_write(*stream, *res, [stream, res](beast::error_code, size_t) {
    beast::error_code ec;
    stream->socket().shutdown(tcp::socket::shutdown_send, ec);
  });
}

class TailSession : public std::enable_shared_from_this<TailSession> {
 public:
  TailSession(tcp::socket socket, std::shared_ptr<const TailContext> ctx,
              std::shared_ptr<TailSubscription> sub, TailParams params)
      : ws_(std::move(socket)),
        timer_(ws_.get_executor()),
        ctx_(std::move(ctx)),
        sub_(std::move(sub)),
        params_(std::move(params)) {}

  void Run(TailHttpRequest req) {
    req_ = std::move(req);
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "sluice"); }));
    // Pushes wake the session at once (coalesced: one wake-up in flight); the poll timer only
    // serves delay_for, pings and shutdown.
    sub_->SetNotify([weak = weak_from_this(), ex = ws_.get_executor(), pending = wake_pending_] {
      if (!pending->exchange(true)) {
        net::post(ex, [weak, pending] {
          pending->store(false);
          if (auto self = weak.lock())
            self->Take();
        });
      }
    });
    ws_.async_accept(req_, beast::bind_front_handler(&TailSession::OnAccept, shared_from_this()));
  }

 private:
  void OnAccept(beast::error_code ec) {
    if (ec)
      return Finish();
    // Matches since `start`, before any live entry (the subscription already buffers those).
    const int64_t now = ctx_->handler.clock->NowNanos();
    auto replay = ReplayTail(*ctx_->handler.engine, params_.tenant, params_.request,
                             params_.start_ns, now + 1, params_.limit);
    if (replay.ok() && !replay->empty()) {
      out_.push_back(RenderTailFrame(*replay, params_.request.categorize_labels));
      replayed_ = std::move(replay->entries);
      forget_replay_ns_ =
          ctx_->handler.clock->MonotonicNanos() + kReplayOverlapNs + params_.request.delay_for_ns;
    }
    last_ping_ns_ = ctx_->handler.clock->MonotonicNanos();
    accepted_ = true;
    DoRead();
    DoWrite();
    Poll();
  }

  void DoRead() {
    ws_.async_read(read_buf_, beast::bind_front_handler(&TailSession::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec)
      return Finish();                    // client closed or vanished
    read_buf_.consume(read_buf_.size());  // client messages are ignored
    DoRead();
  }

  // Takes a frame only when nothing waits to be written: a slow client makes the hub drop.
  void Take() {
    if (done_ || !accepted_ || writing_ || !out_.empty())
      return;
    TailFrame frame;
    if (!sub_->WaitFrame(std::chrono::milliseconds(0), &frame)) {
      closing_ = true;
    } else {
      DropReplayed(&frame);
      if (!frame.empty())
        out_.push_back(RenderTailFrame(frame, params_.request.categorize_labels));
    }
    DoWrite();
  }

  void Poll() {
    if (done_)
      return;
    Take();
    timer_.expires_after(kPollInterval);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec)
        self->Poll();
    });
  }

  // An entry pushed between Subscribe() and the replay query is both replayed and queued in
  // the subscription; its live copy is dropped. Such copies arrive within moments of the
  // replay, so the replayed entries are kept only for kReplayOverlapNs (plus delay_for).
  void DropReplayed(TailFrame* frame) {
    if (replayed_.empty())
      return;
    if (ctx_->handler.clock->MonotonicNanos() > forget_replay_ns_) {
      replayed_ = {};
      return;
    }
    std::erase_if(frame->entries, [this](const TailEntry& e) {
      auto [lo, hi] = std::equal_range(
          replayed_.begin(), replayed_.end(), e,
          [](const TailEntry& a, const TailEntry& b) { return a.timestamp_ns < b.timestamp_ns; });
      return std::any_of(
          lo, hi, [&e](const TailEntry& r) { return r.line == e.line && r.labels == e.labels; });
    });
  }

  void DoWrite() {
    if (writing_ || done_)
      return;
    if (!out_.empty()) {
      writing_ = true;
      ws_.text(true);
      ws_.async_write(net::buffer(out_.front()),
                      beast::bind_front_handler(&TailSession::OnWrite, shared_from_this()));
    } else if (closing_) {
      writing_ = true;
      ws_.async_close(websocket::close_code::going_away,
                      [self = shared_from_this()](beast::error_code) { self->Finish(); });
    } else if (ctx_->handler.clock->MonotonicNanos() - last_ping_ns_ >= kPingIntervalNs) {
      writing_ = true;
      last_ping_ns_ = ctx_->handler.clock->MonotonicNanos();
      ws_.async_ping({}, [self = shared_from_this()](beast::error_code ec) {
        self->writing_ = false;
        if (ec)
          return self->Finish();
        self->DoWrite();
      });
    }
  }

  void OnWrite(beast::error_code ec, size_t) {
    writing_ = false;
    if (ec)
      return Finish();
    out_.pop_front();
    if (out_.empty())
      return Take();  // what arrived during the write
    DoWrite();
  }

  void Finish() {
    if (done_)
      return;
    done_ = true;
    sub_->Close();
    timer_.cancel();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer timer_;
  std::shared_ptr<const TailContext> ctx_;
  std::shared_ptr<TailSubscription> sub_;
  TailParams params_;
  TailHttpRequest req_;
  beast::flat_buffer read_buf_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool closing_ = false;
  bool done_ = false;
  bool accepted_ = false;  // the upgrade completed: frames may be written
  std::shared_ptr<std::atomic<bool>> wake_pending_ = std::make_shared<std::atomic<bool>>(false);
  int64_t last_ping_ns_ = 0;
  std::vector<TailEntry> replayed_;  // ascending timestamps; see DropReplayed
  int64_t forget_replay_ns_ = 0;     // monotonic
};

}  // namespace

bool IsTailUpgrade(const TailHttpRequest& req) {
  if (req.method() != http::verb::get || !websocket::is_upgrade(req))
    return false;
  std::string_view target = View(req.target());
  return IsTailPath(UrlDecode(target.substr(0, target.find('?')), false));
}

void StartTailSession(tcp::socket socket, TailHttpRequest req,
                      std::shared_ptr<const TailContext> ctx) {
  try {
    HttpRequest plain = ToPlainRequest(req);
    auto params = ParseTailParams(ctx->handler, plain);
    if (!params.ok())
      return RefuseTail(std::move(socket), req.version(), ErrorResponse(params.status()));
    auto sub = ctx->hub->Subscribe(params->tenant, params->request);
    if (!sub.ok()) {
      HttpResponse r = sub.status().code() == StatusCode::kResourceExhausted
                           ? TextResponse(400, sub.status().message())
                           : ErrorResponse(sub.status());
      return RefuseTail(std::move(socket), req.version(), r);
    }
    auto session =
        std::make_shared<TailSession>(std::move(socket), ctx, std::move(*sub), std::move(*params));
    session->Run(std::move(req));
  } catch (const std::exception& e) {
    spdlog::error("tail session: {}", e.what());
  }
}

}  // namespace sluice::server
