// detected_fields throughput: entries per second through FieldDetector (JSON then logfmt parse,
// type detection, cardinality) for logfmt and JSON lines with structured metadata.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "logql/drilldown/detected_fields.h"

namespace sluice::logql::drilldown {
namespace {

void BM_FieldDetector(benchmark::State& state) {
  const bool json = state.range(0) == 1;
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) {
    std::string id = std::to_string(i * 7919 % 100000);
    lines.push_back(json ? R"({"level":"info","status":)" + std::to_string(200 + i % 5) +
                               R"(,"user":{"id":)" + id + R"(,"admin":false},"took":"12ms"})"
                         : "level=info status=" + std::to_string(200 + i % 5) + " user_id=" + id +
                               " took=12ms path=/api/items msg=\"served ok\"");
  }
  Labels stream = Labels::FromPairs({{"app", "api"}, {"env", "prod"}});
  std::vector<Label> md = {{"detected_level", "info"}, {"trace_id", "0af7651916cd43dd"}};
  for (auto _ : state) {
    FieldDetector d;
    for (const std::string& l : lines)
      d.Add(stream, l, md, {});
    benchmark::DoNotOptimize(d.Fields());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(lines.size()));
  state.SetLabel(json ? "json" : "logfmt");
}
BENCHMARK(BM_FieldDetector)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sluice::logql::drilldown
