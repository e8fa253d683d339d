// Turns the StepMatrix of a metric query into the engine's QueryResult as Loki's
// JoinSampleVector does: an instant query gives a vector (sorted by labels unless the query
// uses sort/sort_desc), a range query a matrix (series sorted by labels, points ascending);
// more than `max_series` series fails with Loki's series-limit message.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "common/result.h"
#include "logql/engine.h"
#include "logql/engine/step_matrix.h"

namespace sluice::logql::engine {

// Loki's text for the series limit.
std::string SeriesLimitMessage(int max_series);

// Point timestamps are the step times truncated to milliseconds, as Loki reports them.
Result<QueryResult> ToVectorResult(const StepMatrix& m, const StepGrid& grid, int max_series,
                                   bool sort_by_value);
Result<QueryResult> ToMatrixResult(const StepMatrix& m, const StepGrid& grid, int max_series);

// Truncates ns to whole milliseconds.
inline int64_t TruncateToMillis(int64_t ns) {
  return ns / 1'000'000 * 1'000'000;
}

}  // namespace sluice::logql::engine
