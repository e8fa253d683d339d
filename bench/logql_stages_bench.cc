// Throughput of each log pipeline stage on genlogs-like lines (shared/tools/genlogs.py shape):
// json (all fields, with a needed-labels hint, + label filter), logfmt, regexp, pattern,
// line filters, line_format. Reports bytes/s of input lines.
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "logql/log/label_filter.h"
#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

namespace sluice::logql::log {
namespace {

constexpr const char* kLevels[] = {"debug", "info", "info", "info", "warn", "error"};
constexpr const char* kServices[] = {"api-gateway", "order-service", "payment-service", "auth"};
constexpr const char* kMsgs[] = {"cache lookup", "sql query prepared", "request served",
                                 "upstream timeout", "card declined"};

struct Line {
  int level, svc, msg, status;
  double dur;
};

std::vector<Line> Lines() {
  std::mt19937 rng(7);
  std::vector<Line> out(4096);
  for (auto& l : out) {
    l = Line{static_cast<int>(rng() % 6), static_cast<int>(rng() % 4), static_cast<int>(rng() % 5),
             rng() % 10 == 0 ? 500 : 200, (rng() % 1000000) / 1000.0};
  }
  return out;
}

const std::vector<std::string>& JsonLines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> v;
    for (const Line& l : Lines()) {
      char buf[512];
      std::snprintf(
          buf, sizeof(buf),
          R"({"timestamp":"2026-01-01T00:00:00.000Z","level":"%s","service_name":"%s","trace_id":"81e74ef5e8e25d940ed904759531985d","span_id":"099950d836f675cc","msg":"%s","http":{"method":"POST","route":"/api/v1/cart","status":%d},"duration_ms":%.3f,"tenant_id":"globex"})",
          kLevels[l.level], kServices[l.svc], kMsgs[l.msg], l.status, l.dur);
      v.emplace_back(buf);
    }
    return v;
  }();
  return lines;
}

const std::vector<std::string>& LogfmtLines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> v;
    for (const Line& l : Lines()) {
      char buf[512];
      std::snprintf(
          buf, sizeof(buf),
          R"(timestamp=2026-01-01T00:00:00.000Z level=%s service_name=%s trace_id=81e74ef5e8e25d940ed904759531985d span_id=099950d836f675cc msg="%s" http_method=POST http_route=/api/v1/cart http_status=%d duration_ms=%.3f tenant_id=globex)",
          kLevels[l.level], kServices[l.svc], kMsgs[l.msg], l.status, l.dur);
      v.emplace_back(buf);
    }
    return v;
  }();
  return lines;
}

void RunPipeline(benchmark::State& state, Pipeline& p, const std::vector<std::string>& lines) {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"service_name", "bench"}}));
  size_t i = 0, bytes = 0, kept = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ & (lines.size() - 1)];
    lb.Reset();
    std::string_view l = line;
    kept += p.Process(0, &l, &lb);
    bytes += line.size();
  }
  benchmark::DoNotOptimize(kept);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

// Runs a pipeline built from `stages` (factory results) over `lines`.
template <typename... S>
void Bench(benchmark::State& state, const std::vector<std::string>& lines, S&&... stages) {
  std::vector<std::unique_ptr<Stage>> v;
  (v.push_back(std::move(*stages)), ...);
  Pipeline p(std::move(v));
  RunPipeline(state, p, lines);
}

Result<std::unique_ptr<Stage>> Filter(LabelFilterExpr e) {
  return NewLabelFilterStage(std::move(e));
}

Result<std::unique_ptr<Stage>> LevelIsError() {
  return Filter(LabelFilterExpr::String(*LabelMatcher::Make(MatchType::kEqual, "level", "error")));
}

Result<std::unique_ptr<Stage>> DurationOver500() {
  return Filter(LabelFilterExpr::Numeric("duration_ms", CompareOp::kGt, 500));
}

void BM_JsonAll(benchmark::State& st) {
  Bench(st, JsonLines(), NewJsonParser({}));
}

void BM_JsonAllLevelFilter(benchmark::State& st) {
  Bench(st, JsonLines(), NewJsonParser({}), LevelIsError());
}

void BM_JsonNeededLevelFilter(benchmark::State& st) {
  Bench(st, JsonLines(), NewJsonParser({}, std::vector<std::string>{"level"}), LevelIsError());
}

void BM_JsonDurationFilter(benchmark::State& st) {
  Bench(st, JsonLines(), NewJsonParser({}), DurationOver500());
}

void BM_JsonPaths(benchmark::State& st) {
  Bench(st, JsonLines(), NewJsonParser({{"status", "http.status"}, {"level", "level"}}));
}

void BM_Logfmt(benchmark::State& st) {
  Bench(st, LogfmtLines(), NewLogfmtParser({}, {}));
}

void BM_LogfmtDurationFilter(benchmark::State& st) {
  Bench(st, LogfmtLines(), NewLogfmtParser({}, {}, std::vector<std::string>{"duration_ms"}),
        DurationOver500());
}

void BM_Regexp(benchmark::State& st) {
  Bench(st, LogfmtLines(), NewRegexpParser(R"(level=(?P<level>\w+) .*duration_ms=(?P<dur>\S+))"));
}

void BM_Pattern(benchmark::State& st) {
  Bench(st, LogfmtLines(),
        NewPatternParser(R"(timestamp=<ts> level=<level> service_name=<svc> <_> msg="<msg>" <_>)"));
}

void BM_LineContains(benchmark::State& st) {
  Bench(st, JsonLines(), NewLineFilterStage(LineFilterOp::kContains, {{"timeout"}}));
}

void BM_LineRegex(benchmark::State& st) {
  Bench(st, JsonLines(), NewLineFilterStage(LineFilterOp::kRegex, {{"(?i)time.?out"}}));
}

void BM_LineFormat(benchmark::State& st) {
  Bench(st, LogfmtLines(), NewLogfmtParser({}, {}),
        NewLineFormat("{{.level | upper}}: {{.msg}} ({{.duration_ms}} ms)"));
}

BENCHMARK(BM_JsonAll);
BENCHMARK(BM_JsonAllLevelFilter);
BENCHMARK(BM_JsonNeededLevelFilter);
BENCHMARK(BM_JsonDurationFilter);
BENCHMARK(BM_JsonPaths);
BENCHMARK(BM_Logfmt);
BENCHMARK(BM_LogfmtDurationFilter);
BENCHMARK(BM_Regexp);
BENCHMARK(BM_Pattern);
BENCHMARK(BM_LineContains);
BENCHMARK(BM_LineRegex);
BENCHMARK(BM_LineFormat);

}  // namespace
}  // namespace sluice::logql::log
