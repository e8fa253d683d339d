// grafana_http_latency: end-to-end HTTP latency of the index-answered endpoints Grafana and
// Logs Drilldown call (labels, label/<name>/values, index/stats, index/volume) on a running
// sluice, for bench/grafana_bench.sh. Not a Google Benchmark: each request is a real HTTP
// round trip over one keep-alive loopback connection; GET /ready on the same connection is the
// baseline of the same run (pure transport + routing cost).
//
//   grafana_http_latency --port 3100 [--load 1] [--streams 10000] [--entries 1000000]
//                        [--iterations 50]
//
// --load 1 first pushes `entries` entries spread evenly over `streams` streams
// ({service_name="svc-<i % 100>", pod="pod-<i>", env="prod|dev"}; lines of ~80 bytes,
// timestamps over the last 50 minutes), protobuf + snappy as Promtail sends it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
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

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!sluice::bench::ParseIntFlags(argc, argv,
                                    {{"--port", &o.port},
                                     {"--load", &o.load},
                                     {"--streams", &o.streams},
                                     {"--entries", &o.entries},
                                     {"--iterations", &o.iterations}})) {
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
  return 0;
}
