// Benchmarks of the LogQL evaluator (logql/engine/): the range-aggregation window loop alone,
// and whole metric queries through Engine::Exec over ~200k generated JSON lines held by the
// in-memory querier of the engine tests (so storage decoding is not measured):
//   sum by (level) (count_over_time({service_name=~".+"} | json | level="error" [<all>]))
//   count_over_time({service_name=~".+"} |= "timeout" [5m]) as a 1440-step range query.
// Items processed = log lines (or samples) per iteration; bytes = line bytes.
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "engine/memory_querier.h"
#include "logql/engine.h"
#include "logql/engine/range_window.h"

namespace sluice::logql {
namespace {

using test_util::kSec;
using test_util::MemoryQuerier;

constexpr int kLines = 200'000;
constexpr int64_t kSpanNs = 24 * 3600 * kSec;  // one day of data

struct Dataset {
  MemoryQuerier querier;
  int64_t bytes = 0;
};

const Dataset& Data() {
  static Dataset* d = [] {
    auto* ds = new Dataset;
    std::mt19937_64 rng(7);
    const char* services[] = {"payment-service", "order-service", "auth-service", "web"};
    const char* levels[] = {"info", "info", "info", "warn", "error"};
    for (int i = 0; i < kLines; ++i) {
      const int64_t ts = static_cast<int64_t>(i) * (kSpanNs / kLines);
      const std::string svc = services[rng() % 4];
      const bool timeout = rng() % 50 == 0;
      std::string line = R"({"ts":)" + std::to_string(ts) + R"(,"level":")" + levels[rng() % 5] +
                         R"(","service":")" + svc + R"(","msg":")" +
                         (timeout ? "upstream timeout after 30s" : "request served") +
                         R"(","duration_ms":)" + std::to_string(rng() % 2000) + R"(,"trace_id":")" +
                         std::to_string(rng()) + R"("})";
      ds->bytes += static_cast<int64_t>(line.size());
      ds->querier.Add(Labels::FromPairs({{"service_name", svc}, {"env", "prod"}}), ts,
                      std::move(line));
    }
    return ds;
  }();
  return *d;
}

void RunQuery(benchmark::State& state, const QueryParams& p) {
  Dataset& d = const_cast<Dataset&>(Data());
  Engine engine(&d.querier, EngineOptions{});
  for (auto _ : state) {
    d.querier.calls.clear();
    auto r = engine.Exec("fake", p);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->series.size());
  }
  state.SetItemsProcessed(state.iterations() * kLines);
  state.SetBytesProcessed(state.iterations() * d.bytes);
}

void BM_SumByLevelJsonInstant(benchmark::State& state) {
  QueryParams p;
  p.query = R"(sum by (level) (count_over_time({service_name=~".+"} | json | level="error" [1d])))";
  p.start_ns = p.end_ns = kSpanNs;
  p.instant = true;
  RunQuery(state, p);
}

BENCHMARK(BM_SumByLevelJsonInstant)->Unit(benchmark::kMillisecond);

void BM_CountTimeout1440Steps(benchmark::State& state) {
  QueryParams p;
  p.query = R"(count_over_time({service_name=~".+"} |= "timeout" [5m]))";
  p.start_ns = 0;
  p.end_ns = kSpanNs - kSpanNs / 1440;
  p.step_ns = kSpanNs / 1440;
  RunQuery(state, p);
}

BENCHMARK(BM_CountTimeout1440Steps)->Unit(benchmark::kMillisecond);

// The window loop alone: samples every 100 ms into 5 m windows at 1 m steps (5 windows each).
void BM_RangeWindowLoop(benchmark::State& state) {
  const syntax::RangeOp op = static_cast<syntax::RangeOp>(state.range(0));
  const int64_t n = 1'000'000, every = 100'000'000;
  engine::RangeSpec spec{op, false, 0.5, 300 * kSec, 0};
  engine::StepGrid grid{0, n * every, 60 * kSec};
  for (auto _ : state) {
    engine::RangeVectorBuilder b(spec, grid);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ts = i * every;
      int64_t first, last;
      if (!b.StepsFor(ts, &first, &last))
        continue;
      const uint64_t key = static_cast<uint64_t>(i % 8);
      int64_t id = b.Find(key);
      if (id < 0)
        id = b.AddSeries(key, Labels::FromPairs({{"k", std::to_string(key)}}));
      b.Add(static_cast<uint32_t>(id), first, last, static_cast<double>(i % 100), ts);
    }
    benchmark::DoNotOptimize(b.Finish().steps.size());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(std::string(syntax::RangeOpName(op)));
}

BENCHMARK(BM_RangeWindowLoop)
    ->Arg(static_cast<int>(syntax::RangeOp::kCountOverTime))
    ->Arg(static_cast<int>(syntax::RangeOp::kAvgOverTime))
    ->Arg(static_cast<int>(syntax::RangeOp::kQuantileOverTime))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::logql
