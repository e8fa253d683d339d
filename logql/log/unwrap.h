// UnwrapExtractor: `| unwrap label`, `| unwrap duration(label)`, `duration_seconds(label)`,
// `bytes(label)` (Loki's labelSampleExtractor): turns a label into a sample value.
//
//   UnwrapExtractor u("latency", UnwrapConversion::kDuration);
//   double v;
//   if (pipeline.Process(ts, &line, &lb) && u.Extract(&lb, &v)) {
//     // run post-filters (label_filter.h stages) on lb; then, unless a `by (...)`
//     // grouping applies, drop u.label() from the series labels (Loki adds it to `without`).
//   }
// Thread-safety: const; share freely.
#pragma once

#include <string>
#include <string_view>

namespace sluice::logql::log {

class LabelsBuilder;

enum class UnwrapConversion {
  kNone,             // strconv.ParseFloat
  kDuration,         // Go duration -> seconds
  kDurationSeconds,  // same as kDuration
  kBytes,            // go-humanize bytes
};

// "", "duration", "duration_seconds", "bytes".
std::string_view UnwrapConversionName(UnwrapConversion c);

class UnwrapExtractor {
 public:
  UnwrapExtractor(std::string label, UnwrapConversion conversion)
      : label_(std::move(label)), conversion_(conversion) {}

  const std::string& label() const { return label_; }

  UnwrapConversion conversion() const { return conversion_; }

  // Returns false when the label is absent or empty (no sample, no error). Otherwise sets
  // *value and returns true; a conversion failure sets *value = 0 and the error labels
  // __error__="SampleExtractionErr" with Go's message as __error_details__.
  bool Extract(LabelsBuilder* lb, double* value) const;

 private:
  std::string label_;
  UnwrapConversion conversion_;
};

}  // namespace sluice::logql::log
