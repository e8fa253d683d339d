// logql::Engine: parses and evaluates LogQL queries (log and metric) against a Querier.
//
//   logql::Engine engine(&querier, logql::EngineOptions{});
//   logql::QueryParams p;
//   p.query = R"({app="api"} |= "error")";
//   p.start_ns = ...; p.end_ns = ...; p.limit = 100; p.direction = Direction::kBackward;
//   Result<logql::QueryResult> r = engine.Exec("tenant-a", p);
//
// Errors are InvalidArgument with Loki's message text (e.g. "parse error at line 1, col 5:
// syntax error: unexpected IDENTIFIER", the multi-line "pipeline error: ..." of a metric query
// whose samples still carry __error__, "exceeded maximum resolution of 11,000 points ...",
// "max entries limit per query exceeded, ..."), ResourceExhausted for the series limit
// ("maximum number of series (500) reached for a single query; ..."), DeadlineExceeded for the
// query timeout. Thread-safe: Exec may run concurrently (each call has its own state).
//
// Result shapes (Loki's): log query -> kStreams (range and, deliberately better than Loki,
// instant: the newest `limit` entries of (time - 1h, time], oldest with kForward); metric query
// -> kMatrix for a range query, kVector for an instant one (sorted by labels unless the query
// uses sort/sort_desc); a bare literal -> kScalar instant, one-series `{}` matrix over a range.
// Metric point timestamps are step times truncated to milliseconds (Loki reports ms).
// The evaluator lives in logql/engine/ (see logql/engine/evaluator.h for the node structure).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/result.h"
#include "logql/querier.h"

namespace sluice::logql {

struct EngineOptions {
  int max_series = 500;  // metric queries: distinct series in a result (Loki default)
  int64_t max_points_per_series = 11000;             // range queries: (end - start) / step + 1
  int64_t query_timeout_ns = 300LL * 1'000'000'000;  // 5 m
  int max_entries_limit = 5000;                      // largest accepted `limit`
  // Range aggregations whose windows merge by sum / min / max (count_over_time, rate, bytes_*,
  // sum_/min_/max_over_time) split their time span into up to `parallelism` shards scanned on
  // their own threads, each shard spanning at least `min_shard_span_ns`. 0: one per core.
  int parallelism = 0;
  int64_t min_shard_span_ns = 10LL * 60 * 1'000'000'000;  // 10 m
};

struct QueryParams {
  std::string query;
  int64_t start_ns = 0;     // range queries: first evaluation time; log queries: inclusive start
  int64_t end_ns = 0;       // range queries: last evaluation time; log queries: exclusive end
  int64_t step_ns = 0;      // range queries; 0 means Loki's default step, < 0 is an error
  int64_t interval_ns = 0;  // log range queries: return at most one entry per interval
  uint32_t limit = 100;     // log queries: entries across all streams
  Direction direction = Direction::kBackward;
  bool instant = false;  // /query: evaluate at start_ns (== end_ns); `limit` and `direction`
                         // apply to instant log queries too
};

// One entry of a log query result.
struct ResultEntry {
  int64_t timestamp_ns = 0;
  std::string line;                        // after line_format, if any
  std::vector<Label> structured_metadata;  // sorted by name
  std::vector<Label> parsed;               // labels added by parsers / label_format, sorted
};

struct ResultStream {
  // Full label set after the pipeline (stream + metadata + parsed, error labels included);
  // streams are split by it. Labels drops empty values, so a json parameter that found nothing
  // (Loki prints `x=""`) does not appear.
  Labels labels;
  Labels stream_labels;              // indexed stream labels only (categorize-labels encoding)
  std::vector<ResultEntry> entries;  // in the query's direction
};

struct Point {
  int64_t timestamp_ns = 0;
  double value = 0;
};

struct Series {
  Labels labels;
  std::vector<Point> points;  // ascending time; one point for vector results
};

struct QueryStats {
  int64_t bytes_processed = 0;  // line bytes scanned
  int64_t lines_processed = 0;
  int64_t post_filter_lines = 0;  // lines the whole pipeline kept (Loki's totalPostFilterLines)
  int64_t entries_returned = 0;
  int64_t exec_time_ns = 0;
};

enum class ResultType { kStreams, kMatrix, kVector, kScalar };

// "streams", "matrix", "vector", "scalar".
std::string_view ResultTypeName(ResultType t);

struct QueryResult {
  ResultType type = ResultType::kStreams;
  std::vector<ResultStream> streams;  // kStreams, sorted by labels.ToString() as Loki sorts them
  std::vector<Series> series;         // kMatrix / kVector (vector: one point each)
  Point scalar;                       // kScalar
  QueryStats stats;
};

class Engine {
 public:
  // `querier` must outlive the engine.
  Engine(Querier* querier, EngineOptions options);
  ~Engine();

  Result<QueryResult> Exec(std::string_view tenant, const QueryParams& params) const;

  // Parses and prints back in canonical form (GET /loki/api/v1/format_query).
  static Result<std::string> Format(std::string_view query);

  // Loki's default step for a range query: max(1 s, floor((end - start) / 250 s)) seconds.
  static int64_t DefaultStepNs(int64_t start_ns, int64_t end_ns);

 private:
  Querier* querier_;
  EngineOptions options_;
};

}  // namespace sluice::logql
