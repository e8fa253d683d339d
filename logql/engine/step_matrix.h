// StepMatrix: the value of a metric (sample) expression over a range query's evaluation steps,
// and the grid of those steps. Every evaluation node (range aggregation, vector aggregation,
// binary operator, label_replace, vector()) maps StepMatrix -> StepMatrix, mirroring Loki's
// step evaluators but one node at a time: memory is bounded by the node's result (points), not
// by the log lines scanned.
//
//   StepGrid grid{start_ns, end_ns, step_ns};   // steps start + k*step <= end
//   StepMatrix m(grid.size());
//   uint32_t id = m.table.Intern(Labels::FromPairs({{"level", "error"}}));
//   m.steps[0].push_back({id, 3.0});
//
// Thread-safety: plain values; no sharing.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "common/labels.h"

namespace sluice::logql::engine {

// Evaluation times of a query: start, start + step, ... <= end. An instant query is the grid
// {t, t, 1}.
struct StepGrid {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int64_t step_ns = 1;  // > 0

  int64_t size() const { return end_ns < start_ns ? 0 : (end_ns - start_ns) / step_ns + 1; }

  int64_t TimeAt(int64_t k) const { return start_ns + k * step_ns; }
};

// Floor / ceiling division for possibly negative numerators (d > 0).
inline int64_t FloorDiv(int64_t n, int64_t d) {
  return n >= 0 ? n / d : -((-n + d - 1) / d);
}

inline int64_t CeilDiv(int64_t n, int64_t d) {
  return -FloorDiv(-n, d);
}

// An interning table of series label sets: equal Labels get the same id.
class SeriesTable {
 public:
  uint32_t Intern(const Labels& labels);

  const Labels& at(uint32_t id) const { return labels_[id]; }

  size_t size() const { return labels_.size(); }

  const std::vector<Labels>& all() const { return labels_; }

 private:
  std::vector<Labels> labels_;
  std::unordered_multimap<uint64_t, uint32_t> index_;  // Labels::Hash() -> id
};

// One sample of one step: the series (an id in StepMatrix::table) and its value.
struct StepSample {
  uint32_t series = 0;
  double value = 0;
};

struct StepMatrix {
  StepMatrix() = default;

  explicit StepMatrix(int64_t num_steps) : steps(static_cast<size_t>(num_steps)) {}

  SeriesTable table;
  std::vector<std::vector<StepSample>> steps;  // steps[k]: the vector at grid.TimeAt(k)

  size_t num_points() const;
};

}  // namespace sluice::logql::engine
