// The Beast transport in-process: keep-alive, body limit (413 with Loki's text), bad HTTP,
// busy port, and graceful shutdown that finishes in-flight requests.
#include "server/http_server.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "http_client.h"
#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::integration::HttpConnection;
using ::sluice::integration::HttpResult;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

HttpServerOptions TestOptions() {
  HttpServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 2;
  o.body_limit = 1024;
  return o;
}

HttpResponse Echo(HttpRequest r) {
  std::string out = r.method + " " + r.path + " q=" + std::string(r.Param("q")) +
                    " body=" + std::to_string(r.body.size());
  return TextResponse(200, out);
}

TEST(HttpServerTest, KeepAliveRequestsAndParams) {
  auto server = HttpServer::Start(TestOptions(), Echo);
  ASSERT_THAT(server, IsOk());
  HttpConnection c((*server)->port());
  for (int i = 0; i < 3; ++i) {
    HttpResult r = c.Request("GET", "/a%20b?q=x+y%21");
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "GET /a b q=x y! body=0");
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_TRUE(c.connected());
  }
  HttpResult post = c.Request("POST", "/p", {}, std::string(1000, 'x'));
  EXPECT_EQ(post.body, "POST /p q= body=1000");
  (*server)->Shutdown(std::chrono::seconds(5));
}

TEST(HttpServerTest, NoContentHasNoBodyOrLength) {
  auto server = HttpServer::Start(TestOptions(), [](HttpRequest) {
    HttpResponse r;
    r.status = 204;
    r.body = "ignored";
    return r;
  });
  ASSERT_THAT(server, IsOk());
  HttpConnection c((*server)->port());
  HttpResult r = c.Request("POST", "/loki/api/v1/push", {}, "x");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("content-length"), "");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(c.Request("GET", "/again").status, 204);  // the connection is still usable
}

TEST(HttpServerTest, BodyOverLimitIs413WithLokiText) {
  auto server = HttpServer::Start(TestOptions(), Echo);
  ASSERT_THAT(server, IsOk());
  HttpConnection c((*server)->port());
  HttpResult r = c.Request("POST", "/loki/api/v1/push", {}, std::string(5000, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, "request body too large: 5000 bytes, limit: 1024 bytes");
  // Chunked bodies are cut while reading.
  HttpConnection c2((*server)->port());
  std::string chunk(2000, 'y');
  HttpResult chunked =
      c2.Raw("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + chunk +
             "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status, 413);
  EXPECT_EQ(sluice::integration::HttpRequest((*server)->port(), "GET", "/ok").status, 200);
}

TEST(HttpServerTest, MalformedRequestIs400) {
  auto server = HttpServer::Start(TestOptions(), Echo);
  ASSERT_THAT(server, IsOk());
  HttpConnection c((*server)->port());
  HttpResult r = c.Raw("GET / HTTP/9.9\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(sluice::integration::HttpRequest((*server)->port(), "GET", "/ok").status, 200);
}

TEST(HttpServerTest, BusyPortIsAnError) {
  auto first = HttpServer::Start(TestOptions(), Echo);
  ASSERT_THAT(first, IsOk());
  HttpServerOptions o = TestOptions();
  o.port = (*first)->port();
  EXPECT_THAT(HttpServer::Start(o, Echo), StatusIs(StatusCode::kIOError, "bind"));
  o.address = "not-an-address";
  EXPECT_THAT(HttpServer::Start(o, Echo), StatusIs(StatusCode::kIOError, "invalid address"));
}

TEST(HttpServerTest, ShutdownFinishesInFlightRequestsThenRefusesConnections) {
  std::atomic<bool> entered{false};
  auto server = HttpServer::Start(TestOptions(), [&](HttpRequest) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return TextResponse(200, "slow done");
  });
  ASSERT_THAT(server, IsOk());
  uint16_t port = (*server)->port();
  HttpResult slow;
  std::thread client([&] { slow = sluice::integration::HttpRequest(port, "GET", "/slow"); });
  while (!entered)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  (*server)->Shutdown(std::chrono::seconds(10));
  client.join();
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, "slow done");
  EXPECT_EQ(slow.Header("connection"), "close");
  EXPECT_EQ((*server)->inflight(), 0);
  EXPECT_EQ(sluice::integration::HttpRequest(port, "GET", "/after").status, 0);
}

}  // namespace
}  // namespace sluice::server
