// Chunk encode and decode throughput on genlogs lines (bytes of log lines per second), with
// the compression ratio as a counter. One stream's entries are cut into 1.5 MiB chunks as the
// Store does.
#include <benchmark/benchmark.h>

#include "chunks/chunk.h"
#include "chunks/head_block.h"
#include "chunks_bench_data.h"

namespace sluice::chunks {
namespace {

// Entries of the biggest stream, as chunk-sized heads.
std::vector<HeadBlock> Heads(size_t target = 1536 * 1024) {
  const auto& data = bench::LoadBenchData();
  const bench::BenchStream* biggest = &data.streams[0];
  for (const auto& s : data.streams) {
    if (s.entries.size() > biggest->entries.size()) {
      biggest = &s;
    }
  }
  std::vector<HeadBlock> heads(1);
  for (const auto& e : biggest->entries) {
    if (heads.back().bytes() >= target) {
      heads.emplace_back();
    }
    heads.back().Append(e.view());
  }
  return heads;
}

void BM_ChunkEncode(benchmark::State& state) {
  static const std::vector<HeadBlock> heads = Heads();
  const Labels labels = Labels::FromPairs({{"service_name", "bench"}});
  ChunkBuilder::Options opts{static_cast<size_t>(state.range(0)) * 1024,
                             static_cast<int>(state.range(1))};
  size_t in = 0, out = 0, i = 0;
  for (auto _ : state) {
    const HeadBlock& h = heads[i++ % heads.size()];
    ChunkBuilder b("t", labels.Hash(), labels, opts);
    h.BuildChunk(&b);
    auto bytes = b.Finish();
    benchmark::DoNotOptimize(bytes);
    in += h.bytes();
    out += bytes->size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(in));
  state.counters["ratio"] = static_cast<double>(in) / static_cast<double>(out);
}

BENCHMARK(BM_ChunkEncode)
    ->ArgNames({"block_kib", "level"})
    ->Args({256, 3})
    ->Args({512, 3})
    ->Args({1024, 3})
    ->Args({512, 1})
    ->Args({512, 6});

void BM_ChunkDecode(benchmark::State& state) {
  static const std::vector<HeadBlock> heads = Heads();
  const Labels labels = Labels::FromPairs({{"service_name", "bench"}});
  std::vector<std::shared_ptr<const Chunk>> chunks;
  for (const auto& h : heads) {
    ChunkBuilder b("t", labels.Hash(), labels, ChunkBuilder::Options{});
    h.BuildChunk(&b);
    chunks.push_back(*Chunk::Parse(*b.Finish()));
  }
  size_t bytes = 0, i = 0;
  for (auto _ : state) {
    auto it = NewChunkIterator(chunks[i++ % chunks.size()], INT64_MIN, INT64_MAX,
                               state.range(0) ? Direction::kBackward : Direction::kForward);
    while (it->Next()) {
      bytes += it->At().line.size();
    }
    if (!it->status().ok()) {
      state.SkipWithError("decode failed");
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

BENCHMARK(BM_ChunkDecode)->ArgName("backward")->Arg(0)->Arg(1);

}  // namespace
}  // namespace sluice::chunks
