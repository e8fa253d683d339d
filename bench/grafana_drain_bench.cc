// Drain pattern mining throughput (/loki/api/v1/patterns mines stored lines on demand): lines
// per second through PatternMiner for plain-text, logfmt and JSON streams.
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "logql/drilldown/pattern_miner.h"

namespace sluice::logql::drilldown {
namespace {

std::vector<std::string> MakeLines(int format, size_t n) {
  std::mt19937 rng(42);
  const char* verbs[] = {"GET", "POST", "PUT", "DELETE"};
  const char* paths[] = {"/api/items", "/api/users", "/health", "/api/orders", "/login"};
  std::vector<std::string> lines;
  lines.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string v = verbs[rng() % 4], p = paths[rng() % 5], id = std::to_string(rng() % 100000);
    std::string ms = std::to_string(rng() % 900);
    if (format == 0) {
      lines.push_back(v + " " + p + "/" + id + " HTTP/1.1 200 took " + ms + "ms from 10.0.0." +
                      std::to_string(rng() % 255));
    } else if (format == 1) {
      lines.push_back("ts=2024-05-29T16:00:00Z level=info method=" + v + " path=" + p +
                      " id=" + id + " duration=" + ms + "ms msg=\"request served\"");
    } else {
      lines.push_back(R"({"level":"info","msg":")" + v + " " + p + " served in " + ms +
                      R"(ms","id":)" + id + "}");
    }
  }
  return lines;
}

void BM_PatternMiner(benchmark::State& state) {
  const int format = static_cast<int>(state.range(0));
  const auto lines = MakeLines(format, 20000);
  for (auto _ : state) {
    PatternMinerOptions o;
    o.end_ns = INT64_MAX;
    PatternMiner m(o);
    int64_t ts = 0;
    for (const std::string& l : lines)
      m.Add(7, Entry{ts += 1'000'000, l, {}});
    benchmark::DoNotOptimize(m.Patterns());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(lines.size()));
  state.SetLabel(format == 0 ? "plain" : format == 1 ? "logfmt" : "json");
}
BENCHMARK(BM_PatternMiner)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::logql::drilldown
