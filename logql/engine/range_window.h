// Range aggregation over sample windows: the math of count_over_time, rate, bytes_*,
// *_over_time, quantile_over_time, rate_counter and absent_over_time, and the streaming
// builder that turns a time-ordered sample stream into a StepMatrix.
//
// Window semantics (Loki's range_vector.go): at step t the window of `[R] offset o` holds the
// samples with t-o-R < ts <= t-o; an empty window yields no point (absent_over_time: the
// opposite). Each sample is folded into the accumulators of the steps whose window holds it;
// a series keeps only its still-open windows (about R/step + 1), so memory is bounded by the
// result, never by the number of samples (except quantile_over_time, which must keep the values
// of its open windows).
//
//   RangeVectorBuilder b(spec, grid);
//   for each sample (ts, value, labels) in time order:
//     int64_t first, last;
//     if (!b.StepsFor(ts, &first, &last)) continue;      // in no window
//     int64_t id = b.Find(key);
//     if (id < 0) id = b.AddSeries(key, labels);
//     b.Add(id, first, last, value, ts);
//   StepMatrix m = b.Finish();
//
// Thread-safety: none (one builder per query).
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "common/labels.h"
#include "logql/engine/step_matrix.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

struct RangeSpec {
  syntax::RangeOp op = syntax::RangeOp::kCountOverTime;
  bool unwrapped = false;  // rate over unwrapped values is sum / R (not a count)
  double param = 0;        // quantile_over_time's φ
  int64_t range_ns = 0;
  int64_t offset_ns = 0;
};

// The running state of one window. Add() samples in time order, then Value().
class WindowAccumulator {
 public:
  void Add(const RangeSpec& spec, int64_t ts, double v);

  int64_t count() const { return count_; }

  // The aggregate of the window ending at `window_end_ns` (= step time - offset).
  // REQUIRES: count() > 0.
  double Value(const RangeSpec& spec, int64_t window_end_ns) const;

 private:
  int64_t count_ = 0;
  double sum_ = 0;
  double mean_ = 0;
  double aux_ = 0;  // Welford's M2
  double min_ = 0, max_ = 0;
  double first_ = 0, last_ = 0;
  int64_t first_ts_ = 0, last_ts_ = 0;
  double prev_ = 0;             // rate_counter: previous value (starts at 0 as in Prometheus)
  double resets_ = 0;           // rate_counter: sum of values before each counter reset
  std::vector<double> values_;  // quantile_over_time only
};

// Prometheus' quantile over a set of values (sorted in place): rank φ·(n−1) with linear
// interpolation; NaN for no values, -Inf for φ<0, +Inf for φ>1.
double Quantile(double phi, std::vector<double>* values);

// Builds the StepMatrix of a range aggregation from samples given in non-decreasing time order
// per series (a merged time-ordered stream is fine).
class RangeVectorBuilder {
 public:
  RangeVectorBuilder(const RangeSpec& spec, const StepGrid& grid);

  // The steps [*first, *last] whose window holds a sample at `ts`; false if none does.
  bool StepsFor(int64_t ts, int64_t* first, int64_t* last) const;

  // The id of the series registered under `key` (any hash of its labels), or -1.
  int64_t Find(uint64_t key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? int64_t{-1} : static_cast<int64_t>(it->second);
  }

  // Registers `key` with `labels`; keys with equal labels share one series. Returns its id.
  uint32_t AddSeries(uint64_t key, const Labels& labels);

  // Folds a sample into the windows [first, last] (from StepsFor) of `series`.
  // REQUIRES: per series, non-decreasing `first` across calls.
  void Add(uint32_t series, int64_t first, int64_t last, double value, int64_t ts);

  // Closes every window. For absent_over_time the result has one series, `absent_labels`,
  // valued 1 at each step with no sample at all.
  StepMatrix Finish(const Labels& absent_labels = Labels());

  size_t num_series() const { return series_.size(); }

 private:
  struct Series {
    int64_t base = 0;                                // step index of ring[0]
    std::deque<WindowAccumulator> ring;              // open windows base, base+1, ...
    std::vector<std::pair<int64_t, double>> points;  // closed, non-empty windows
  };

  void Flush(Series* s, int64_t upto);  // closes windows with index < upto

  RangeSpec spec_;
  StepGrid grid_;
  int64_t num_steps_;
  SeriesTable table_;  // id == index into series_
  std::vector<Series> series_;
  std::unordered_map<uint64_t, uint32_t> by_key_;
  std::vector<bool> has_sample_;  // absent_over_time only
};

}  // namespace sluice::logql::engine
