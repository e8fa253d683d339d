// The tail WebSocket session over loopback: a test acceptor hands connections to
// StartTailSession as the transport will; clients are Beast WebSocket / HTTP clients.
#include "server/tail_websocket.h"

#include <functional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "server/tail_hub.h"
#include "tests/server/grafana_test_fixture.h"

namespace sluice::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class TailWebSocketTest : public GrafanaFixture {
 protected:
  void SetUp() override {
    GrafanaFixture::SetUp();
    clock_.Set(Clock::Default()->NowNanos());
    auto ctx = std::make_shared<TailContext>();
    ctx->handler.config = &config_;
    ctx->handler.storage = storage_.get();
    ctx->handler.engine = engine_.get();
    ctx->handler.clock = &clock_;
    ctx->hub = &hub_;
    ctx_ = ctx;
    acceptor_.open(tcp::v4());
    acceptor_.bind(tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { server_ioc_.run(); });
  }

  void TearDown() override {
    hub_.Shutdown();
    net::post(server_ioc_, [this] { acceptor_.close(); });
    work_.reset();
    thread_.join();
    GrafanaFixture::TearDown();
  }

  void Accept() {
    acceptor_.async_accept(
        net::make_strand(server_ioc_), [this](beast::error_code ec, tcp::socket s) {
          if (ec)
            return;
          auto sock = std::make_shared<tcp::socket>(std::move(s));
          auto buf = std::make_shared<beast::flat_buffer>();
          auto req = std::make_shared<TailHttpRequest>();
          http::async_read(*sock, *buf, *req, [this, sock, buf, req](beast::error_code ec, size_t) {
            if (!ec && IsTailUpgrade(*req)) {
              StartTailSession(std::move(*sock), std::move(*req), ctx_);
              // Runs on the io thread before the session's accept completes.
              if (after_start_)
                after_start_();
            }
          });
          Accept();
        });
  }

  std::string Target(const std::string& extra) {
    return "/loki/api/v1/tail?query=%7Bapp%3D%22api%22%7D&start=" +
           std::to_string(clock_.NowNanos() - 60 * kNanosPerSecond) + extra;
  }

  void Connect(websocket::stream<beast::tcp_stream>* ws, const std::string& target) {
    tcp::resolver resolver(client_ioc_);
    beast::get_lowest_layer(*ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    beast::get_lowest_layer(*ws).expires_after(std::chrono::seconds(10));
    ws->handshake("127.0.0.1", target);
  }

  std::string ReadMessage(websocket::stream<beast::tcp_stream>* ws) {
    beast::flat_buffer buf;
    ws->read(buf);
    return beast::buffers_to_string(buf.data());
  }

  TailHub hub_;
  std::function<void()> after_start_;
  std::shared_ptr<const TailContext> ctx_;
  net::io_context server_ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_{
      server_ioc_.get_executor()};
  tcp::acceptor acceptor_{server_ioc_};
  uint16_t port_ = 0;
  std::thread thread_;
  net::io_context client_ioc_;
};

TEST_F(TailWebSocketTest, DelayForAboveFiveIsA400BeforeUpgrade) {
  beast::tcp_stream stream(client_ioc_);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  stream.expires_after(std::chrono::seconds(10));
  http::request<http::string_body> req(http::verb::get, Target("&delay_for=6"), 11);
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::connection, "Upgrade");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::sec_websocket_version, "13");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  EXPECT_EQ(res.result_int(), 400u);
  EXPECT_EQ(res.body(), "delay_for can't be greater than 5");
  EXPECT_EQ(hub_.subscribers(), 0u);
}

TEST_F(TailWebSocketTest, ReplayThenLiveThenCloseOnShutdown) {
  const int64_t now = clock_.NowNanos();
  Append(Labels::FromPairs({{"app", "api"}}), {OwnedEntry{now - kNanosPerSecond, "history", {}}});
  websocket::stream<beast::tcp_stream> ws(client_ioc_);
  Connect(&ws, Target(""));
  EXPECT_EQ(ReadMessage(&ws), R"({"streams":[{"stream":{"app":"api"},"values":[[")" +
                                  std::to_string(now - kNanosPerSecond) + R"(","history"]]}]})");
  TailingAppender appender(storage_.get(), &hub_);
  std::vector<ingest::PushStream> push(1);
  push[0].labels = Labels::FromPairs({{"app", "api"}});
  push[0].entries = {OwnedEntry{now, "live", {}}};
  ingest::AppendReport report;
  ASSERT_THAT(appender.Append("fake", push, &report), ::sluice::testing::IsOk());
  EXPECT_EQ(ReadMessage(&ws), R"({"streams":[{"stream":{"app":"api"},"values":[[")" +
                                  std::to_string(now) + R"(","live"]]}]})");
  hub_.Shutdown();
  beast::flat_buffer buf;
  beast::error_code ec;
  ws.read(buf, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.reason().code, websocket::close_code::going_away);
}

// An entry pushed after the subscription exists but before the replay query runs is both in
// storage and in the subscription: it is sent once, in the replay.
TEST_F(TailWebSocketTest, EntryPushedDuringTheReplayIsSentOnce) {
  const int64_t now = clock_.NowNanos();
  TailingAppender appender(storage_.get(), &hub_);
  auto push = [&](int64_t ts, const std::string& line) {
    std::vector<ingest::PushStream> streams(1);
    streams[0].labels = Labels::FromPairs({{"app", "api"}});
    streams[0].entries = {OwnedEntry{ts, line, {}}};
    ingest::AppendReport report;
    ASSERT_THAT(appender.Append("fake", streams, &report), ::sluice::testing::IsOk());
  };
  after_start_ = [&] { push(now - kNanosPerSecond, "racing"); };
  websocket::stream<beast::tcp_stream> ws(client_ioc_);
  Connect(&ws, Target(""));
  EXPECT_EQ(ReadMessage(&ws), R"({"streams":[{"stream":{"app":"api"},"values":[[")" +
                                  std::to_string(now - kNanosPerSecond) + R"(","racing"]]}]})");
  push(now, "live");
  EXPECT_EQ(ReadMessage(&ws), R"({"streams":[{"stream":{"app":"api"},"values":[[")" +
                                  std::to_string(now) + R"(","live"]]}]})");
  ws.close(websocket::close_code::normal);
}

TEST_F(TailWebSocketTest, ClientDisconnectUnsubscribes) {
  {
    websocket::stream<beast::tcp_stream> ws(client_ioc_);
    Connect(&ws, Target(""));
    EXPECT_EQ(hub_.subscribers(), 1u);
    ws.close(websocket::close_code::normal);
  }
  for (int i = 0; i < 200 && hub_.subscribers() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(hub_.subscribers(), 0u);
}

}  // namespace
}  // namespace sluice::server
