// tail_latency: live-tail delivery latency, push -> WebSocket frame, on a running sluice, for
// bench/grafana_bench.sh. One thread pushes `rate` lines/s in batches every `batch-ms` (JSON
// over a keep-alive connection), each line carrying the steady-clock time taken just before
// its push request was sent; one WebSocket client tails the stream and records, per line, the
// time its frame arrived minus that send time. The push round trip (request -> 204, which
// includes the WAL sync) is the same-run baseline.
//
//   tail_latency --port 3100 [--rate 10000] [--seconds 10] [--batch-ms 10] [--clients 1]
//
// Prints lines pushed/received/dropped, the achieved rate, and median / p99 / max of both.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "grafana_bench_util.h"
#include "http_client.h"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using sluice::integration::HttpConnection;
using sluice::integration::UrlEncode;

using sluice::bench::Percentiles;
using sluice::bench::Summarise;
using sluice::bench::WallNs;

struct Options {
  int64_t port = 3100;
  int64_t rate = 10000;
  int64_t seconds = 10;
  int64_t batch_ms = 10;
  int64_t clients = 1;
};

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// Reads frames until `stop`; appends the latency (ms) of every line with a "sent=" field.
void TailReader(const Options& o, std::atomic<bool>* ready, std::atomic<bool>* stop,
                std::vector<double>* latencies_ms, int64_t* dropped) {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(o.port)));
  const std::string target = "/loki/api/v1/tail?query=" + UrlEncode(R"({job="tail-bench"})") +
                             "&start=" + std::to_string(WallNs());
  ws.read_message_max(256u << 20);
  ws.handshake("127.0.0.1", target);
  ready->store(true);
  beast::flat_buffer buf;
  // A read with a timeout: the pusher stops first, then the reader drains for a second.
  auto last_frame = Clock::now();
  while (!(stop->load() && Clock::now() - last_frame > std::chrono::seconds(1))) {
    bool done = false;
    beast::error_code ec;
    ws.async_read(buf, [&](beast::error_code e, size_t) {
      done = true;
      ec = e;
    });
    while (!done) {
      ioc.restart();
      ioc.run_for(std::chrono::milliseconds(200));
      if (!done && stop->load() && Clock::now() - last_frame > std::chrono::seconds(1)) {
        beast::get_lowest_layer(ws).socket().cancel();
      }
    }
    if (ec)
      break;
    const int64_t now = SteadyNs();
    last_frame = Clock::now();
    std::string text = beast::buffers_to_string(buf.data());
    buf.consume(buf.size());
    for (size_t p = text.find("sent="); p != std::string::npos; p = text.find("sent=", p + 5)) {
      const int64_t sent = std::strtoll(text.c_str() + p + 5, nullptr, 10);
      latencies_ms->push_back(static_cast<double>(now - sent) / 1e6);
    }
    for (size_t p = text.find("\"timestamp\""); p != std::string::npos;
         p = text.find("\"timestamp\"", p + 11)) {
      ++*dropped;
    }
  }
  beast::error_code ec;
  beast::get_lowest_layer(ws).socket().close(ec);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!sluice::bench::ParseIntFlags(argc, argv,
                                    {{"--port", &o.port},
                                     {"--rate", &o.rate},
                                     {"--seconds", &o.seconds},
                                     {"--batch-ms", &o.batch_ms},
                                     {"--clients", &o.clients}})) {
    return 2;
  }
  std::atomic<bool> stop{false};
  std::vector<std::atomic<bool>> ready(o.clients);
  std::vector<std::vector<double>> latencies(o.clients);
  std::vector<int64_t> dropped(o.clients, 0);
  std::vector<std::thread> readers;
  for (int c = 0; c < o.clients; ++c) {
    readers.emplace_back([&, c] { TailReader(o, &ready[c], &stop, &latencies[c], &dropped[c]); });
  }
  for (auto& r : ready) {
    while (!r.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  HttpConnection conn(static_cast<uint16_t>(o.port));
  const int per_batch = static_cast<int>(std::max<int64_t>(1, o.rate * o.batch_ms / 1000));
  const int batches = static_cast<int>(o.seconds * 1000 / o.batch_ms);
  std::vector<double> push_ms;
  int64_t pushed = 0, seq = 0;
  const std::string pad(60, 'x');
  const auto t0 = Clock::now();
  for (int b = 0; b < batches; ++b) {
    std::this_thread::sleep_until(t0 + std::chrono::milliseconds(b * o.batch_ms));
    const int64_t sent = SteadyNs();
    const int64_t ts = WallNs();
    std::string body = R"({"streams":[{"stream":{"job":"tail-bench"},"values":[)";
    for (int i = 0; i < per_batch; ++i) {
      if (i > 0)
        body += ',';
      body += "[\"" + std::to_string(ts + i) + "\",\"seq=" + std::to_string(seq++) +
              " sent=" + std::to_string(sent) + " " + pad + "\"]";
    }
    body += "]}]}";
    auto r =
        conn.Request("POST", "/loki/api/v1/push", {{"Content-Type", "application/json"}}, body);
    push_ms.push_back(static_cast<double>(SteadyNs() - sent) / 1e6);
    if (r.status != 204) {
      std::fprintf(stderr, "push failed: %d %s %s\n", r.status, r.body.c_str(), r.error.c_str());
      break;
    }
    pushed += per_batch;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  stop.store(true);
  for (auto& t : readers)
    t.join();

  Percentiles push = Summarise(push_ms);
  std::printf("pushed %lld lines in %.2f s (%.0f lines/s, %d per push)\n",
              static_cast<long long>(pushed), elapsed, static_cast<double>(pushed) / elapsed,
              per_batch);
  std::printf("push round trip (baseline): median %.2f ms, p99 %.2f ms, max %.2f ms\n", push.median,
              push.p99, push.max);
  for (int c = 0; c < o.clients; ++c) {
    Percentiles tail = Summarise(latencies[c]);
    std::printf(
        "client %d: received %zu, dropped %lld; push->frame median %.2f ms, "
        "p99 %.2f ms, max %.2f ms; median / push median %.2f\n",
        c, latencies[c].size(), static_cast<long long>(dropped[c]), tail.median, tail.p99, tail.max,
        push.median > 0 ? tail.median / push.median : 0.0);
  }
  return 0;
}
