// Lexing and parsing of typical Grafana LogQL queries (Explore, log volume, dashboards).
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "logql/syntax/lexer.h"
#include "logql/syntax/parser.h"
#include "logql/syntax/printer.h"

namespace {

const std::vector<std::string>& Queries() {
  static const std::vector<std::string> q = {
      R"({service_name="payment-service"} | json | duration_ms > 500)",
      R"(sum by (level, detected_level) (count_over_time({service_name=~".+"} | drop __error__ [1m])))",
      R"(sum by (level) (count_over_time({service_name=~".+"} | json | level="error" [5m])))",
      R"({app="api", env="prod"} |= "error" != "timeout" |~ "(?i)fail" | logfmt | status >= 500 and latency > 250ms | line_format "{{.method}} {{.path}}")",
      R"(topk(10, sum by (path) (rate({app="api"} | json | unwrap bytes(size) | __error__="" [5m]))) / on (path) group_left sum by (path) (rate({app="api"}[5m])))",
      R"(quantile_over_time(0.99, {app="api"} | logfmt | unwrap duration(latency) [5m]) by (pod))",
  };
  return q;
}

void BM_Lex(benchmark::State& state) {
  const std::string& q = Queries()[state.range(0)];
  for (auto _ : state)
    benchmark::DoNotOptimize(sluice::logql::syntax::Lex(q));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * q.size()));
}

BENCHMARK(BM_Lex)->DenseRange(0, 5);

void BM_Parse(benchmark::State& state) {
  const std::string& q = Queries()[state.range(0)];
  for (auto _ : state) {
    auto e = sluice::logql::syntax::ParseExpr(q);
    if (!e.ok())
      state.SkipWithError(e.status().message().c_str());
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * q.size()));
}

BENCHMARK(BM_Parse)->DenseRange(0, 5);

void BM_Print(benchmark::State& state) {
  auto e = sluice::logql::syntax::ParseExpr(Queries()[state.range(0)]);
  for (auto _ : state)
    benchmark::DoNotOptimize(sluice::logql::syntax::Print(**e));
}

BENCHMARK(BM_Print)->DenseRange(0, 5);

}  // namespace
