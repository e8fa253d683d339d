// WAL append throughput through Store::Append (encode + compress + frame + write), with and
// without fdatasync per call, on a real temporary directory. Bytes are log-line bytes.
#include <unistd.h>

#include <filesystem>

#include <benchmark/benchmark.h>

#include "chunks/store.h"
#include "chunks/wal_record.h"
#include "chunks/wal_writer.h"
#include "chunks_bench_data.h"

namespace sluice::chunks {
namespace {

// Raw WAL path: records framed and written, synced every call or only at the end.
void BM_WalAppend(benchmark::State& state) {
  const auto& data = bench::LoadBenchData();
  const auto& stream = data.streams[0];
  bool sync = state.range(0) != 0;
  int level = static_cast<int>(state.range(1));
  std::string dir = "/tmp/sluice_wal_bench_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto wal = wal::WalWriter::Open(FileSystem::Default(), dir, 1, 64 << 20, {});
  if (!wal.ok()) {
    state.SkipWithError(wal.status().ToString().c_str());
    return;
  }
  constexpr size_t kBatch = 100;
  size_t pos = 0, bytes = 0;
  std::string payload;
  uint64_t lsn = 0;
  wal::EntriesRecordBuilder builder;
  for (auto _ : state) {
    if (pos + kBatch > stream.entries.size()) {
      pos = 0;
    }
    builder.Reset("tenant");
    builder.BeginStream(1, pos, kBatch);
    for (size_t i = pos; i < pos + kBatch; ++i) {
      builder.AddEntry(stream.entries[i].view());
      bytes += stream.entries[i].line.size();
    }
    pos += kBatch;
    payload.clear();
    if (!builder.Finish(level, &payload).ok()) {
      state.SkipWithError("encode");
    }
    lsn = (*wal)->Append([&](uint64_t, const wal::WalWriter::AddFn& add) { add(payload); });
    if (sync && !(*wal)->Sync(lsn).ok()) {
      state.SkipWithError("sync");
    }
  }
  if (!(*wal)->Sync(lsn).ok()) {
    state.SkipWithError("sync");
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["wal_bytes_per_line_byte"] =
      static_cast<double>((*wal)->GetStats().bytes) / static_cast<double>(bytes);
  wal->reset();
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_WalAppend)
    ->ArgNames({"sync", "zstd"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({0, -1})
    ->Args({0, -5})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

// The whole Store::Append path (validation, head copy, WAL, group-committed sync).
void BM_StoreAppend(benchmark::State& state) {
  const auto& data = bench::LoadBenchData();
  std::string dir = "/tmp/sluice_store_bench_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  StoreOptions o;
  o.dir = dir;
  o.background_flush = false;
  o.target_chunk_bytes = size_t{1} << 40;  // measure appends, not flushes
  auto store = Store::Open(o);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  constexpr size_t kBatch = 200;
  size_t pos = 0, bytes = 0;
  int64_t shift = 0;
  const auto& stream = data.streams[0];
  std::vector<OwnedEntry> batch(kBatch);
  for (auto _ : state) {
    state.PauseTiming();
    if (pos + kBatch > stream.entries.size()) {
      pos = 0;
      shift += int64_t{1} << 40;  // keep timestamps moving forward
    }
    for (size_t i = 0; i < kBatch; ++i) {
      batch[i] = stream.entries[pos + i];
      batch[i].timestamp_ns += shift;
      bytes += batch[i].line.size();
    }
    pos += kBatch;
    state.ResumeTiming();
    StreamAppend sa{&stream.labels, stream.labels.Hash(), batch};
    if (!(*store)->Append("t", {&sa, 1}, nullptr).ok()) {
      state.SkipWithError("append");
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  store->reset();
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_StoreAppend)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sluice::chunks
