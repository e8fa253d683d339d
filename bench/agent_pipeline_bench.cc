// sluice-agent hot paths, in lines per second: Docker / CRI decoding, the pipeline with the
// schema stage over genlogs lines, and a FileTailer reading a file through decode + pipeline
// into a sink that acknowledges at once (no network). Input: genlogs (20 000 lines, 1 %
// invalid), generated once per process.
#include <fcntl.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "agent/file_tailer.h"
#include "agent/pipeline_builder.h"
#include "common/clock.h"

namespace sluice::agent {
namespace {

const std::vector<std::string>& GenLines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> out;
    std::string cmd =
        "python3 " SLUICE_SHARED_DIR "/tools/genlogs.py --lines 20000 --invalid-rate 0.01 --seed 3";
    FILE* p = popen(cmd.c_str(), "r");
    char buf[1 << 16];
    while (p != nullptr && std::fgets(buf, sizeof(buf), p) != nullptr) {
      std::string l(buf);
      if (!l.empty() && l.back() == '\n')
        l.pop_back();
      out.push_back(std::move(l));
    }
    if (p != nullptr)
      pclose(p);
    return out;
  }();
  return lines;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

void RunDecoder(benchmark::State& state, LineFormat format, const std::vector<std::string>& in) {
  int64_t lines = 0, bytes = 0;
  for (auto _ : state) {
    LineDecoder d(format, DecoderLimits{});
    std::vector<DecodedLine> out;
    uint64_t off = 0;
    for (const std::string& l : in) {
      d.Feed(l, off, off + l.size() + 1, &out);
      off += l.size() + 1;
      if (out.size() > 1024)
        out.clear();
    }
    lines += static_cast<int64_t>(in.size());
    bytes += static_cast<int64_t>(off);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(bytes);
}

void BM_DockerDecode(benchmark::State& state) {
  std::vector<std::string> in;
  for (const std::string& l : GenLines()) {
    in.push_back(R"({"log":")" + JsonEscape(l) +
                 R"(\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"})");
  }
  RunDecoder(state, LineFormat::kDocker, in);
}

BENCHMARK(BM_DockerDecode)->Unit(benchmark::kMillisecond);

void BM_CriDecode(benchmark::State& state) {
  std::vector<std::string> in;
  for (const std::string& l : GenLines()) {
    in.push_back("2024-01-02T03:04:05.123456789Z stdout F " + l);
  }
  RunDecoder(state, LineFormat::kCri, in);
}

BENCHMARK(BM_CriDecode)->Unit(benchmark::kMillisecond);

constexpr char kSchemaStages[] =
    "- json: {expressions: {level: level, trace_id: trace_id}}\n"
    "- labels: {level: }\n"
    "- structured_metadata: {trace_id: }\n"
    "- schema: {path: " SLUICE_SHARED_DIR "/schemas/service-log.schema.json, action: quarantine}\n";

void BM_PipelineWithSchema(benchmark::State& state) {
  PipelineBuildOptions o;
  Result<CompiledPipeline> p = BuildPipeline(YAML::Load(kSchemaStages), o);
  if (!p.ok()) {
    state.SkipWithError(p.status().ToString().c_str());
    return;
  }
  int64_t lines = 0;
  for (auto _ : state) {
    for (const std::string& l : GenLines()) {
      PipelineEntry e;
      e.labels = {{"job", "bench"}, {"filename", "/var/log/x.log"}};
      e.line = l;
      p->pipeline->Process(&e);
      benchmark::DoNotOptimize(e.schema_verdict);
    }
    lines += static_cast<int64_t>(GenLines().size());
  }
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_PipelineWithSchema)->Unit(benchmark::kMillisecond);

class AckingSink final : public EntrySink {
 public:
  bool HasRoom() const override { return true; }

  int clients() const override { return 1; }

  void Push(ShipEntry e) override {
    e.ack.Ack();
    ++count;
  }

  int64_t count = 0;
};

void BM_TailFileWithSchema(benchmark::State& state) {
  const std::string path = std::filesystem::temp_directory_path() / "sluice-agent-bench.log";
  int64_t bytes = 0;
  {
    std::ofstream out(path, std::ios::trunc);
    for (const std::string& l : GenLines())
      out << l << "\n";
  }
  bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  PipelineBuildOptions o;
  Result<CompiledPipeline> p = BuildPipeline(YAML::Load(kSchemaStages), o);
  Registry registry;
  AgentMetrics metrics(&registry);
  AckingSink sink;
  RateLimitedLog log(0);
  JobContext job{"bench", &*p, 0, false, &metrics, &sink, Clock::Default(), &log};
  int64_t lines = 0;
  for (auto _ : state) {
    int fd = ::open(path.c_str(), O_RDONLY);
    FileTailer t(path, fd, FileKey{1, 1}, Fingerprint{}, 0, {{"job", "bench"}}, &job);
    while (true) {
      Result<size_t> n = t.ReadSome(1 << 20);
      if (!n.ok() || *n == 0)
        break;
    }
    lines += static_cast<int64_t>(GenLines().size());
  }
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(bytes * state.iterations());
  std::filesystem::remove(path);
}

BENCHMARK(BM_TailFileWithSchema)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::agent
