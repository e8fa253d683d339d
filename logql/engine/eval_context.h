// EvalContext: what every evaluation node of one query shares: the storage interface, the
// tenant, the step grid, limits, the deadline and the statistics being collected.
// Thread-safety: one context per query, used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "logql/engine.h"
#include "logql/engine/step_matrix.h"
#include "logql/querier.h"

namespace sluice::logql::engine {

struct EvalContext {
  Querier* querier = nullptr;
  std::string tenant;
  StepGrid grid;
  bool instant = false;
  EngineOptions options;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  QueryStats stats;

  // DeadlineExceeded once the query timeout has passed.
  Status CheckDeadline() const {
    if (std::chrono::steady_clock::now() < deadline)
      return Status::Ok();
    return Status(StatusCode::kDeadlineExceeded, "query timed out");
  }
};

// Counts what storage scanned for `stats` but dropped (SelectLogsParams::dropped) as processed.
// REQUIRES: the iterator it was given with is exhausted or destroyed.
inline void AddDroppedLines(const DroppedLines& dropped, QueryStats* stats) {
  stats->lines_processed += dropped.lines();
  stats->bytes_processed += dropped.bytes();
}

// How often (in entries) scanning loops look at the clock.
inline constexpr int64_t kDeadlineCheckInterval = 4096;

}  // namespace sluice::logql::engine
