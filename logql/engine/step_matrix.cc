#include "logql/engine/step_matrix.h"

namespace sluice::logql::engine {

uint32_t SeriesTable::Intern(const Labels& labels) {
  const uint64_t h = labels.Hash();
  auto [lo, hi] = index_.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    if (labels_[it->second] == labels)
      return it->second;
  }
  const auto id = static_cast<uint32_t>(labels_.size());
  labels_.push_back(labels);
  index_.emplace(h, id);
  return id;
}

size_t StepMatrix::num_points() const {
  size_t n = 0;
  for (const auto& s : steps)
    n += s.size();
  return n;
}

}  // namespace sluice::logql::engine
