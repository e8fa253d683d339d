// SeriesLabeler: the label set a metric sample gets from the pipeline's labels, as Loki's
// LabelsBuilder.GroupedLabels does: with an error (__error__) always the full set, so the
// pipeline error can name it; `by ()` (no_labels) the empty set; `by (a, b)` only those;
// `without (a)` all but those; no grouping the full set. Key() hashes that set without building
// it (the hot path), Labels() builds it (once per new series).
// Thread-safety: const methods may be called from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/labels.h"
#include "logql/log/labels_builder.h"

namespace sluice::logql::engine {

class SeriesLabeler {
 public:
  // `groups` as written; `without` and `no_labels` as in Loki's extractor.
  SeriesLabeler(std::vector<std::string> groups, bool without, bool no_labels);

  // A 64-bit hash of Labels(lb) (empty values skipped, as Labels drops them).
  uint64_t Key(const log::LabelsBuilder& lb) const;
  sluice::Labels LabelsOf(const log::LabelsBuilder& lb) const;

 private:
  bool Keeps(std::string_view name) const;

  std::vector<std::string> groups_;  // sorted, unique
  bool without_;
  bool no_labels_;
};

}  // namespace sluice::logql::engine
