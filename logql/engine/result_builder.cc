#include "logql/engine/result_builder.h"

#include <algorithm>

namespace sluice::logql::engine {

std::string SeriesLimitMessage(int max_series) {
  return "maximum number of series (" + std::to_string(max_series) +
         ") reached for a single query; consider reducing query cardinality by adding more "
         "specific stream selectors, reducing the time range, or aggregating results with "
         "functions like sum(), count() or topk()";
}

Result<QueryResult> ToVectorResult(const StepMatrix& m, const StepGrid& grid, int max_series,
                                   bool sort_by_value) {
  QueryResult r;
  r.type = ResultType::kVector;
  if (m.steps.empty())
    return r;
  const auto& step = m.steps[0];
  if (max_series > 0 && step.size() > static_cast<size_t>(max_series)) {
    return ResourceExhaustedError(SeriesLimitMessage(max_series));
  }
  const int64_t ts = TruncateToMillis(grid.TimeAt(0));
  r.series.reserve(step.size());
  for (const StepSample& x : step) {
    r.series.push_back(Series{m.table.at(x.series), {Point{ts, x.value}}});
  }
  if (!sort_by_value) {
    std::stable_sort(r.series.begin(), r.series.end(),
                     [](const Series& a, const Series& b) { return a.labels < b.labels; });
  }
  return r;
}

Result<QueryResult> ToMatrixResult(const StepMatrix& m, const StepGrid& grid, int max_series) {
  QueryResult r;
  r.type = ResultType::kMatrix;
  // Equal label sets from different inputs (e.g. `or`) merge into one series.
  SeriesTable out;
  std::vector<uint32_t> ids(m.table.size(), UINT32_MAX);
  for (size_t s = 0; s < m.steps.size(); ++s) {
    const int64_t ts = TruncateToMillis(grid.TimeAt(static_cast<int64_t>(s)));
    for (const StepSample& x : m.steps[s]) {
      uint32_t& id = ids[x.series];
      if (id == UINT32_MAX) {
        id = out.Intern(m.table.at(x.series));
        if (id == r.series.size()) {
          if (max_series > 0 && r.series.size() >= static_cast<size_t>(max_series)) {
            return ResourceExhaustedError(SeriesLimitMessage(max_series));
          }
          r.series.push_back(Series{m.table.at(x.series), {}});
        }
      }
      r.series[id].points.push_back(Point{ts, x.value});
    }
  }
  std::sort(r.series.begin(), r.series.end(),
            [](const Series& a, const Series& b) { return a.labels < b.labels; });
  return r;
}

}  // namespace sluice::logql::engine
