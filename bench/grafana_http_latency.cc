// grafana_http_latency: end-to-end HTTP latency of the index-answered endpoints Grafana and
// Logs Drilldown call (labels, label/<name>/values, index/stats, index/volume) on a running
// sluice, for bench/grafana_bench.sh. Not a Google Benchmark: each request is a real HTTP
// round trip over one keep-alive loopback connection; GET /ready on the same connection is the
// baseline of the same run (pure transport + routing cost).
//
//   grafana_http_latency --port 3100 [--load 1] [--streams 10000] [--entries 1000000]
//                        [--iterations 50] [--stall-pushes 300]
//
// --load 1 first pushes `entries` entries spread evenly over `streams` streams
// ({service_name="svc-<i % 100>", pod="pod-<i>", env="prod|dev"}; lines of ~80 bytes,
// timestamps over the last 50 minutes), protobuf + snappy as Promtail sends it.
//
// --stall-pushes N (0: skip) then measures whether label queries stall ingest: N small pushes
// (one stream, 10 entries, JSON) on their own connection, first alone, then while another
// connection sends `labels` requests back to back (alternating rounds); it prints the push
// round trips of both phases and their ratio.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <snappy.h>

#include "grafana_bench_util.h"
#include "http_client.h"
#include "proto/push.pb.h"

namespace {

using sluice::integration::HttpConnection;
using sluice::integration::HttpResult;
using sluice::integration::UrlEncode;
using Clock = std::chrono::steady_clock;

using sluice::bench::WallNs;

struct Options {
  int64_t port = 3100;
  int64_t load = 0;
  int64_t streams = 10000;
  int64_t entries = 1000000;
  int64_t iterations = 50;
  int64_t stall_pushes = 300;
};

std::string Labels(int64_t i) {
  return "{env=\"" + std::string(i % 2 == 0 ? "prod" : "dev") + "\", pod=\"pod-" +
         std::to_string(i) + "\", service_name=\"svc-" + std::to_string(i % 100) + "\"}";
}

// Pushes entries/streams entries per stream; streams_per_push streams per request.
bool Load(const Options& o) {
  const int64_t per_stream = o.entries / o.streams;
  const int64_t span_ns = 50LL * 60 * 1'000'000'000;
  const int64_t base = WallNs() - span_ns - 60LL * 1'000'000'000;
  const int64_t gap = span_ns / std::max<int64_t>(1, per_stream);
  const int64_t kStreamsPerPush = 50;
  HttpConnection conn(static_cast<uint16_t>(o.port));
  const auto t0 = Clock::now();
  for (int64_t first = 0; first < o.streams; first += kStreamsPerPush) {
    logproto::PushRequest req;
    for (int64_t i = first; i < std::min(o.streams, first + kStreamsPerPush); ++i) {
      auto* s = req.add_streams();
      s->set_labels(Labels(i));
      for (int64_t k = 0; k < per_stream; ++k) {
        const int64_t ts = base + k * gap + i;
        auto* e = s->add_entries();
        e->mutable_timestamp()->set_seconds(ts / 1'000'000'000);
        e->mutable_timestamp()->set_nanos(static_cast<int32_t>(ts % 1'000'000'000));
        e->set_line("level=info msg=\"request served\" pod=pod-" + std::to_string(i) +
                    " status=200 duration=" + std::to_string(k % 500) + "ms");
      }
    }
    std::string raw = req.SerializeAsString(), body;
    snappy::Compress(raw.data(), raw.size(), &body);
    HttpResult r = conn.Request("POST", "/loki/api/v1/push",
                                {{"Content-Type", "application/x-protobuf"}}, body);
    if (r.status != 204) {
      std::fprintf(stderr, "push failed: %d %s %s\n", r.status, r.body.c_str(), r.error.c_str());
      return false;
    }
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("loaded %lld streams, %lld entries in %.1f s (%.0f entries/s)\n",
              static_cast<long long>(o.streams), static_cast<long long>(per_stream * o.streams), s,
              static_cast<double>(per_stream * o.streams) / s);
  return true;
}

struct Figures {
  double median_ms = 0, p99_ms = 0;
  size_t body_bytes = 0;
  int status = 0;
};

Figures Measure(HttpConnection* conn, const std::string& target, int64_t iterations) {
  std::vector<double> ms;
  Figures f;
  for (int i = 0; i < iterations + 2; ++i) {
    const auto t0 = Clock::now();
    HttpResult r = conn->Request("GET", target);
    const double d = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    f.status = r.status;
    f.body_bytes = r.body.size();
    if (r.status != 200) {
      std::fprintf(stderr, "%s: %d %s %s\n", target.c_str(), r.status, r.body.c_str(),
                   r.error.c_str());
      return f;
    }
    if (i >= 2)  // two warm-up requests
      ms.push_back(d);
  }
  sluice::bench::Percentiles p = sluice::bench::Summarise(std::move(ms));
  f.median_ms = p.median;
  f.p99_ms = p.p99;
  return f;
}

// Round trips (ms) of `n` small JSON pushes of one stream on `conn`; empty on a failure.
std::vector<double> ProbePushes(HttpConnection* conn, int64_t n, int64_t* next_ts) {
  std::vector<double> ms;
  for (int64_t i = 0; i < n; ++i) {
    std::string body = R"({"streams":[{"stream":{"job":"stall-probe"},"values":[)";
    for (int k = 0; k < 10; ++k) {
      body += (k == 0 ? "" : ",");
      body += "[\"" + std::to_string((*next_ts)++) + "\",\"probe " + std::to_string(i) + "\"]";
    }
    body += "]}]}";
    const auto t0 = Clock::now();
    HttpResult r =
        conn->Request("POST", "/loki/api/v1/push", {{"Content-Type", "application/json"}}, body);
    if (r.status != 204) {
      std::fprintf(stderr, "probe push failed: %d %s %s\n", r.status, r.body.c_str(),
                   r.error.c_str());
      return {};
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return ms;
}

// Push round trips alone and while `labels` requests run back to back on another connection,
// in alternating rounds (so load drifting on the shared machine hits both phases alike).
bool MeasureStall(const Options& o, const std::string& labels_target) {
  constexpr int64_t kRounds = 6;
  HttpConnection push_conn(static_cast<uint16_t>(o.port));
  HttpConnection query_conn(static_cast<uint16_t>(o.port));
  int64_t next_ts = WallNs();
  std::vector<double> alone, busy;
  int64_t queries = 0;
  for (int64_t round = 0; round < kRounds; ++round) {
    const int64_t n = std::max<int64_t>(1, o.stall_pushes / kRounds);
    std::vector<double> a = ProbePushes(&push_conn, n, &next_ts);
    if (a.empty())
      return false;
    alone.insert(alone.end(), a.begin(), a.end());
    std::atomic<bool> stop{false};
    std::atomic<int64_t> done{0};
    std::atomic<bool> query_failed{false};
    std::thread querier([&] {
      while (!stop.load()) {
        if (query_conn.Request("GET", labels_target).status != 200) {
          query_failed = true;
          return;
        }
        ++done;
      }
    });
    std::vector<double> b = ProbePushes(&push_conn, n, &next_ts);
    stop = true;
    querier.join();
    if (b.empty() || query_failed.load())
      return false;
    busy.insert(busy.end(), b.begin(), b.end());
    queries += done.load();
  }
  sluice::bench::Percentiles a = sluice::bench::Summarise(alone);
  sluice::bench::Percentiles b = sluice::bench::Summarise(busy);
  std::printf(
      "\n| push round trip (%zu + %zu pushes of 10 entries, %lld alternating rounds) "
      "| median ms | p99 ms | max ms |\n",
      alone.size(), busy.size(), static_cast<long long>(kRounds));
  std::printf("| --- | --- | --- | --- |\n");
  std::printf("| alone | %.3f | %.3f | %.3f |\n", a.median, a.p99, a.max);
  std::printf("| while `labels` runs back to back (%lld done) | %.3f | %.3f | %.3f |\n",
              static_cast<long long>(queries), b.median, b.p99, b.max);
  std::printf("| ratio busy / alone | %.2f | %.2f | |\n", b.median / a.median, b.p99 / a.p99);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!sluice::bench::ParseIntFlags(argc, argv,
                                    {{"--port", &o.port},
                                     {"--load", &o.load},
                                     {"--streams", &o.streams},
                                     {"--entries", &o.entries},
                                     {"--iterations", &o.iterations},
                                     {"--stall-pushes", &o.stall_pushes}})) {
    return 2;
  }
  if (o.load && !Load(o))
    return 1;
  const int64_t end = WallNs();
  const std::string range =
      "start=" + std::to_string(end - 3600LL * 1'000'000'000) + "&end=" + std::to_string(end);
  const std::string all = UrlEncode(R"({service_name=~".+"})");
  const std::string one = UrlEncode(R"({service_name="svc-42"})");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET /ready (baseline)", "/ready"},
      {"labels", "/loki/api/v1/labels?" + range},
      {"labels {service_name=\"svc-42\"}", "/loki/api/v1/labels?" + range + "&query=" + one},
      {"label/service_name/values (100)", "/loki/api/v1/label/service_name/values?" + range},
      {"label/pod/values (10 000)", "/loki/api/v1/label/pod/values?" + range},
      {"index/stats {service_name=\"svc-42\"}",
       "/loki/api/v1/index/stats?" + range + "&query=" + one},
      {"index/stats {service_name=~\".+\"}", "/loki/api/v1/index/stats?" + range + "&query=" + all},
      {"index/volume {service_name=~\".+\"} limit 5000",
       "/loki/api/v1/index/volume?" + range + "&query=" + all + "&limit=5000"},
      {"index/volume targetLabels=pod aggregateBy=series (10 000 groups)",
       "/loki/api/v1/index/volume?" + range + "&query=" + all +
           "&limit=5000&targetLabels=pod&aggregateBy=series"},
      {"index/volume aggregateBy=labels",
       "/loki/api/v1/index/volume?" + range + "&query=" + all + "&limit=5000&aggregateBy=labels"},
  };
  HttpConnection conn(static_cast<uint16_t>(o.port));
  double baseline = 0;
  std::printf("| request | median ms | p99 ms | median / baseline | body bytes |\n");
  std::printf("| --- | --- | --- | --- | --- |\n");
  for (const auto& [name, target] : cases) {
    Figures f = Measure(&conn, target, o.iterations);
    if (f.status != 200)
      return 1;
    if (baseline == 0)
      baseline = f.median_ms;
    std::printf("| %s | %.3f | %.3f | %.1f× | %zu |\n", name.c_str(), f.median_ms, f.p99_ms,
                f.median_ms / baseline, f.body_bytes);
  }
  if (o.stall_pushes > 0 && !MeasureStall(o, "/loki/api/v1/labels?" + range))
    return 1;
  return 0;
}
