// Index query latency on 10 k streams and 1 M entries (issue 5: labels, label values, stats
// and volume must answer from the index in milliseconds), plus the AddStream hot path.
// The index is built once in a temporary directory: 10 000 streams
// {service_name="svc-<0..99>", env="<prod|dev|staging>", pod="pod-<0..9999>"}, each pushed 10
// times over 10 hours with 10 entries per push.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "common/matcher.h"
#include "index/index.h"

namespace sluice::index {
namespace {

constexpr int kStreams = 10000;
constexpr int kPushesPerStream = 10;
constexpr int kEntriesPerPush = 10;
constexpr int64_t kHour = 3600LL * 1000 * 1000 * 1000;
constexpr int64_t kStart = 19872LL * 24 * kHour;  // a day boundary
constexpr int64_t kEnd = kStart + 24 * kHour;

Labels StreamLabels(int i) {
  static const char* kEnvs[] = {"prod", "dev", "staging"};
  return Labels::FromPairs({{"service_name", "svc-" + std::to_string(i % 100)},
                            {"env", kEnvs[i % 3]},
                            {"pod", "pod-" + std::to_string(i)}});
}

LabelMatcher M(MatchType t, std::string n, std::string v) {
  return *LabelMatcher::Make(t, std::move(n), std::move(v));
}

Index& Shared() {
  static std::unique_ptr<Index> index = [] {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sluice-index-bench-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr)
      std::abort();
    IndexOptions o;
    o.path = tmpl;
    auto r = Index::Open(o);
    if (!r.ok())
      std::abort();
    std::unique_ptr<Index> ix = std::move(*r);
    for (int p = 0; p < kPushesPerStream; ++p) {
      for (int i = 0; i < kStreams; ++i) {
        Labels ls = StreamLabels(i);
        if (!ix->AddStream("bench", ls.Hash(), ls, kStart + p * kHour, kEntriesPerPush, 1000)
                 .ok()) {
          std::abort();
        }
      }
    }
    if (!ix->Flush().ok())
      std::abort();
    return ix;
  }();
  return *index;
}

void RunSelect(benchmark::State& state, const Matchers& ms, size_t expect) {
  Index& ix = Shared();
  for (auto _ : state) {
    auto r = ix.SelectStreams("bench", ms, kStart, kEnd);
    if (!r.ok() || r->size() != expect)
      state.SkipWithError("unexpected result");
    benchmark::DoNotOptimize(r);
  }
}

void BM_SelectEqual(benchmark::State& state) {
  RunSelect(state, {M(MatchType::kEqual, "service_name", "svc-42")}, 100);
}

BENCHMARK(BM_SelectEqual)->Unit(benchmark::kMicrosecond);

void BM_SelectRegexAll(benchmark::State& state) {
  RunSelect(state, {M(MatchType::kRegex, "service_name", ".+")}, kStreams);
}

BENCHMARK(BM_SelectRegexAll)->Unit(benchmark::kMillisecond);

void BM_SelectRegexAlternatives(benchmark::State& state) {
  RunSelect(state, {M(MatchType::kRegex, "service_name", "svc-1|svc-2|svc-3")}, 300);
}

BENCHMARK(BM_SelectRegexAlternatives)->Unit(benchmark::kMicrosecond);

void BM_SelectRegexScan(benchmark::State& state) {
  // pod-1, pod-10..19, pod-100..199, pod-1000..1999: 1111 streams, 10 000 values tested.
  RunSelect(state, {M(MatchType::kRegex, "pod", "pod-1.*")}, 1111);
}

BENCHMARK(BM_SelectRegexScan)->Unit(benchmark::kMillisecond);

void BM_SelectEqualAndNotEqual(benchmark::State& state) {
  RunSelect(
      state,
      {M(MatchType::kEqual, "service_name", "svc-42"), M(MatchType::kNotEqual, "env", "prod")}, 66);
}

BENCHMARK(BM_SelectEqualAndNotEqual)->Unit(benchmark::kMicrosecond);

void BM_LabelNames(benchmark::State& state) {
  Index& ix = Shared();
  for (auto _ : state) {
    auto r = ix.LabelNames("bench", kStart, kEnd, {});
    if (!r.ok() || r->size() != 3)
      state.SkipWithError("unexpected result");
  }
}

BENCHMARK(BM_LabelNames)->Unit(benchmark::kMicrosecond);

void BM_LabelValues(benchmark::State& state) {
  Index& ix = Shared();
  const bool pods = state.range(0) != 0;
  for (auto _ : state) {
    auto r = ix.LabelValues("bench", pods ? "pod" : "service_name", kStart, kEnd, {});
    if (!r.ok() || r->size() != (pods ? kStreams : 100u))
      state.SkipWithError("unexpected result");
  }
}

BENCHMARK(BM_LabelValues)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_LabelValuesFiltered(benchmark::State& state) {
  Index& ix = Shared();
  Matchers filter = {M(MatchType::kEqual, "env", "prod")};
  for (auto _ : state) {
    auto r = ix.LabelValues("bench", "service_name", kStart, kEnd, filter);
    if (!r.ok() || r->empty())
      state.SkipWithError("unexpected result");
  }
}

BENCHMARK(BM_LabelValuesFiltered)->Unit(benchmark::kMillisecond);

void BM_Stats(benchmark::State& state) {
  Index& ix = Shared();
  Matchers ms = {M(MatchType::kRegex, "service_name", ".+")};
  for (auto _ : state) {
    auto r = ix.Stats("bench", ms, kStart, kEnd);
    if (!r.ok() || r->entries != uint64_t{kStreams} * kPushesPerStream * kEntriesPerPush) {
      state.SkipWithError("unexpected result");
    }
  }
}

BENCHMARK(BM_Stats)->Unit(benchmark::kMillisecond);

void BM_Volume(benchmark::State& state) {
  Index& ix = Shared();
  // Drilldown's landing page: {service_name=~".+"}, limit 5000.
  Matchers ms = {M(MatchType::kRegex, "service_name", ".+")};
  for (auto _ : state) {
    auto r = ix.Volume("bench", ms, kStart, kEnd, {}, VolumeAggregation::kSeries, 5000);
    if (!r.ok() || r->size() != 100)
      state.SkipWithError("unexpected result");
  }
}

BENCHMARK(BM_Volume)->Unit(benchmark::kMillisecond);

void BM_VolumeRange(benchmark::State& state) {
  Index& ix = Shared();
  VolumeRequest req;
  req.matchers = {M(MatchType::kRegex, "service_name", ".+")};
  req.start_ns = kStart;
  req.end_ns = kEnd;
  req.limit = 5000;
  for (auto _ : state) {
    auto r = ix.VolumeRange("bench", req, kHour);
    if (!r.ok() || r->size() != 100)
      state.SkipWithError("unexpected result");
  }
}

BENCHMARK(BM_VolumeRange)->Unit(benchmark::kMillisecond);

// The push path: a stream already registered today, counters accumulate in memory.
void BM_AddStreamRegistered(benchmark::State& state) {
  Index& ix = Shared();
  Labels ls = StreamLabels(7);
  const uint64_t fp = ls.Hash();
  for (auto _ : state) {
    if (!ix.AddStream("bench-hot", fp, ls, kStart, 1, 100).ok())
      state.SkipWithError("add");
  }
}

BENCHMARK(BM_AddStreamRegistered);

}  // namespace
}  // namespace sluice::index
