// Loki's detected_labels (pkg/querier/querier.go DetectedLabels): the stream labels of the
// selected streams worth offering as Drilldown facets, with their cardinality. A label is
// dropped when it has no value or when all its values look like ids (numbers or UUIDs), except
// a label whose only values are "0"/"1" (a boolean) and the static labels cluster, namespace,
// instance and pod, which are always kept.
//
//   DetectedLabelsCollector c;
//   for (const Labels& stream : streams) c.Add(stream);
//   for (const DetectedLabel& l : c.Labels()) ...       // sorted by label name
//
// Memory: distinct values per label name are kept up to `max_values_per_label` (beyond it the
// cardinality is a CardinalityEstimator estimate and the id test uses the values seen).
// Thread-safety: none; one per request.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/labels.h"
#include "logql/drilldown/cardinality.h"

namespace sluice::logql::drilldown {

struct DetectedLabel {
  std::string label;
  uint64_t cardinality = 0;
};

class DetectedLabelsCollector {
 public:
  explicit DetectedLabelsCollector(size_t max_values_per_label = 10000)
      : max_values_(max_values_per_label) {}

  void Add(const Labels& stream);

  std::vector<DetectedLabel> Labels() const;

 private:
  struct State {
    std::set<std::string, std::less<>> values;  // up to max_values_
    CardinalityEstimator estimate;
  };

  size_t max_values_;
  std::map<std::string, State, std::less<>> labels_;
};

// Loki's shouldRejectLabel over a label's distinct values.
bool ShouldRejectLabel(const std::set<std::string, std::less<>>& values);
// Google uuid.Parse accepts `s` (36-char canonical, {...}, urn:uuid:..., or 32 hex digits).
bool IsUuid(std::string_view s);

}  // namespace sluice::logql::drilldown
