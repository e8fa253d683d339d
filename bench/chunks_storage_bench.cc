// End-to-end storage efficiency and ingest cost of chunks::Store on genlogs data:
// every line is appended (batches of 1000 per stream, as pushes would), then FlushAll; the
// counters report bytes on disk (chunks + remaining WAL) over `zstd -3` of the same lines as
// one buffer (target <= 1.15), and ingest line-bytes per CPU second.
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

#include <benchmark/benchmark.h>
#include <zstd.h>

#include "chunks/store.h"
#include "chunks_bench_data.h"

namespace sluice::chunks {
namespace {

double CpuSeconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      total += e.file_size();
    }
  }
  return total;
}

void BM_StoreIngestAndStorage(benchmark::State& state) {
  const auto& data = bench::LoadBenchData();
  size_t zstd3 = [&] {
    std::string out(ZSTD_compressBound(data.raw.size()), '\0');
    return ZSTD_compress(out.data(), out.size(), data.raw.data(), data.raw.size(), 3);
  }();
  uint64_t line_bytes = 0;
  for (const auto& s : data.streams) {
    for (const auto& e : s.entries) {
      line_bytes += e.line.size();
    }
  }
  std::string dir = "/tmp/sluice_storage_bench_" + std::to_string(::getpid());
  double ratio = 0, before_flush = 0, cpu = 0, chunks_ratio = 0;
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    StoreOptions o;
    o.dir = dir;
    o.background_flush = false;
    o.block_bytes = static_cast<size_t>(state.range(0)) * 1024;
    auto store = Store::Open(o);
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      return;
    }
    double cpu0 = CpuSeconds();
    constexpr size_t kBatch = 1000;
    for (size_t pos = 0;; pos += kBatch) {
      bool any = false;
      for (const auto& s : data.streams) {
        if (pos >= s.entries.size()) {
          continue;
        }
        any = true;
        size_t n = std::min(kBatch, s.entries.size() - pos);
        StreamAppend sa{&s.labels, s.labels.Hash(), {s.entries.data() + pos, n}};
        if (!(*store)->Append("t", {&sa, 1}, nullptr).ok()) {
          state.SkipWithError("append");
        }
      }
      if (!any) {
        break;
      }
      if ((pos / kBatch) % 10 == 9) {
        (*store)->FlushIdle().IgnoreError();  // size-cut heads
      }
    }
    before_flush = static_cast<double>(DirBytes(dir)) / static_cast<double>(zstd3);
    if (!(*store)->FlushAll().ok()) {
      state.SkipWithError("flush");
    }
    cpu += CpuSeconds() - cpu0;
    chunks_ratio =
        static_cast<double>((*store)->GetStats().chunk_bytes_flushed) / static_cast<double>(zstd3);
    store->reset();
    ratio = static_cast<double>(DirBytes(dir)) / static_cast<double>(zstd3);
  }
  std::filesystem::remove_all(dir);
  state.SetBytesProcessed(static_cast<int64_t>(line_bytes * state.iterations()));
  state.counters["disk_over_zstd3"] = ratio;
  state.counters["chunks_over_zstd3"] = chunks_ratio;
  state.counters["disk_over_zstd3_before_flushall"] = before_flush;
  state.counters["ingest_MBps_per_cpu"] =
      static_cast<double>(line_bytes * state.iterations()) / cpu / 1e6;
  state.counters["streams"] = static_cast<double>(data.streams.size());
}

BENCHMARK(BM_StoreIngestAndStorage)
    ->ArgName("block_kib")
    ->Arg(256)
    ->Arg(512)
    ->Arg(1024)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::chunks
