#include "logql/engine/range_window.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sluice::logql::engine {

using syntax::RangeOp;

namespace {

// Prometheus' extrapolatedRate as Loki adapted it (ns timestamps, window bounds from the query):
// counter resets, extrapolation to the window edges, zero clamp. < 2 samples -> 0.
double ExtrapolatedCounterRate(int64_t count, double first, int64_t first_ts, double last,
                               int64_t last_ts, double resets, int64_t range_ns,
                               int64_t range_end_ns) {
  if (count < 2)
    return 0;
  const int64_t range_start = range_end_ns - range_ns;
  double result = last - first + resets;
  double to_start = static_cast<double>(first_ts - range_start) / 1e9;
  double to_end = static_cast<double>(range_end_ns - last_ts) / 1e9;
  const double sampled = static_cast<double>(last_ts - first_ts) / 1e9;
  const double avg_between = sampled / static_cast<double>(count - 1);
  const double threshold = avg_between * 1.1;
  if (to_start >= threshold)
    to_start = avg_between / 2;
  double to_zero = to_start;
  if (result > 0 && first >= 0)
    to_zero = sampled * (first / result);
  if (to_zero < to_start)
    to_start = to_zero;
  if (to_end >= threshold)
    to_end = avg_between / 2;
  const double extrapolate_to = sampled + to_start + to_end;
  result = result * (extrapolate_to / sampled);
  return result / (static_cast<double>(range_ns) / 1e9);
}

}  // namespace

double Quantile(double phi, std::vector<double>* values) {
  if (values->empty())
    return std::numeric_limits<double>::quiet_NaN();
  if (phi < 0)
    return -std::numeric_limits<double>::infinity();
  if (phi > 1)
    return std::numeric_limits<double>::infinity();
  // Loki's HeapByMaxValue order: NaN sorts first.
  std::sort(values->begin(), values->end(), [](double a, double b) {
    if (std::isnan(a))
      return !std::isnan(b);
    return a < b;
  });
  const double n = static_cast<double>(values->size());
  const double rank = phi * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return (*values)[static_cast<size_t>(lower)] * (1 - weight) +
         (*values)[static_cast<size_t>(upper)] * weight;
}

void WindowAccumulator::Add(const RangeSpec& spec, int64_t ts, double v) {
  ++count_;
  switch (spec.op) {
    case RangeOp::kCountOverTime:
    case RangeOp::kAbsentOverTime:
      break;
    case RangeOp::kRate:
    case RangeOp::kBytesOverTime:
    case RangeOp::kBytesRate:
    case RangeOp::kSumOverTime:
      sum_ += v;
      break;
    case RangeOp::kAvgOverTime: {
      const double c = static_cast<double>(count_);
      if (std::isinf(mean_)) {
        if (std::isinf(v) && (mean_ > 0) == (v > 0))
          break;
        if (!std::isinf(v) && !std::isnan(v))
          break;
      }
      mean_ += v / c - mean_ / c;
      break;
    }
    case RangeOp::kMinOverTime:
      if (count_ == 1 || v < min_ || std::isnan(min_))
        min_ = v;
      break;
    case RangeOp::kMaxOverTime:
      if (count_ == 1 || v > max_ || std::isnan(max_))
        max_ = v;
      break;
    case RangeOp::kStdvarOverTime:
    case RangeOp::kStddevOverTime: {
      const double delta = v - mean_;
      mean_ += delta / static_cast<double>(count_);
      aux_ += delta * (v - mean_);
      break;
    }
    case RangeOp::kQuantileOverTime:
      values_.push_back(v);
      break;
    case RangeOp::kFirstOverTime:
    case RangeOp::kLastOverTime:
    case RangeOp::kRateCounter:
      if (count_ == 1) {
        first_ = v;
        first_ts_ = ts;
      }
      if (spec.op == RangeOp::kRateCounter && v < prev_)
        resets_ += prev_;
      prev_ = v;
      last_ = v;
      last_ts_ = ts;
      break;
  }
}

double WindowAccumulator::Value(const RangeSpec& spec, int64_t window_end_ns) const {
  const double range_s = static_cast<double>(spec.range_ns) / 1e9;
  switch (spec.op) {
    case RangeOp::kCountOverTime:
      return static_cast<double>(count_);
    case RangeOp::kRate:
      return (spec.unwrapped ? sum_ : static_cast<double>(count_)) / range_s;
    case RangeOp::kBytesOverTime:
    case RangeOp::kSumOverTime:
      return sum_;
    case RangeOp::kBytesRate:
      return sum_ / range_s;
    case RangeOp::kAvgOverTime:
      return mean_;
    case RangeOp::kMinOverTime:
      return min_;
    case RangeOp::kMaxOverTime:
      return max_;
    case RangeOp::kStdvarOverTime:
      return aux_ / static_cast<double>(count_);
    case RangeOp::kStddevOverTime:
      return std::sqrt(aux_ / static_cast<double>(count_));
    case RangeOp::kQuantileOverTime: {
      std::vector<double> copy = values_;
      return Quantile(spec.param, &copy);
    }
    case RangeOp::kFirstOverTime:
      return first_;
    case RangeOp::kLastOverTime:
      return last_;
    case RangeOp::kRateCounter:
      return ExtrapolatedCounterRate(count_, first_, first_ts_, last_, last_ts_, resets_,
                                     spec.range_ns, window_end_ns);
    case RangeOp::kAbsentOverTime:
      return 1;
  }
  return 0;
}

RangeVectorBuilder::RangeVectorBuilder(const RangeSpec& spec, const StepGrid& grid)
    : spec_(spec), grid_(grid), num_steps_(grid.size()) {
  if (spec_.op == RangeOp::kAbsentOverTime)
    has_sample_.assign(num_steps_, false);
}

bool RangeVectorBuilder::StepsFor(int64_t ts, int64_t* first, int64_t* last) const {
  // Step t holds ts when t-o-R < ts <= t-o, i.e. u <= t < u+R with u = ts+o.
  const int64_t u = ts + spec_.offset_ns;
  int64_t lo = CeilDiv(u - grid_.start_ns, grid_.step_ns);
  int64_t hi = CeilDiv(u + spec_.range_ns - grid_.start_ns, grid_.step_ns) - 1;
  lo = std::max<int64_t>(lo, 0);
  hi = std::min<int64_t>(hi, num_steps_ - 1);
  if (lo > hi)
    return false;
  *first = lo;
  *last = hi;
  return true;
}

uint32_t RangeVectorBuilder::AddSeries(uint64_t key, const Labels& labels) {
  const uint32_t id = table_.Intern(labels);
  if (id == series_.size())
    series_.emplace_back();
  by_key_[key] = id;
  return id;
}

void RangeVectorBuilder::Flush(Series* s, int64_t upto) {
  while (!s->ring.empty() && s->base < upto) {
    const WindowAccumulator& acc = s->ring.front();
    if (acc.count() > 0) {
      const int64_t window_end = grid_.TimeAt(s->base) - spec_.offset_ns;
      s->points.emplace_back(s->base, acc.Value(spec_, window_end));
    }
    s->ring.pop_front();
    ++s->base;
  }
}

void RangeVectorBuilder::Add(uint32_t series, int64_t first, int64_t last, double value,
                             int64_t ts) {
  Series& s = series_[series];
  Flush(&s, first);
  if (!s.ring.empty() && first < s.base)
    first = s.base;  // out of order: closed windows stay
  if (first > last)
    return;
  if (s.ring.empty())
    s.base = first;
  while (s.base + static_cast<int64_t>(s.ring.size()) <= last)
    s.ring.emplace_back();
  for (int64_t k = first; k <= last; ++k)
    s.ring[k - s.base].Add(spec_, ts, value);
  if (!has_sample_.empty()) {
    for (int64_t k = first; k <= last; ++k)
      has_sample_[k] = true;
  }
}

StepMatrix RangeVectorBuilder::Finish(const Labels& absent_labels) {
  StepMatrix m(num_steps_);
  if (spec_.op == RangeOp::kAbsentOverTime) {
    const uint32_t id = m.table.Intern(absent_labels);
    for (int64_t k = 0; k < num_steps_; ++k) {
      if (!has_sample_[k])
        m.steps[k].push_back({id, 1.0});
    }
    return m;
  }
  for (uint32_t id = 0; id < series_.size(); ++id) {
    Series& s = series_[id];
    Flush(&s, std::numeric_limits<int64_t>::max());
    if (s.points.empty())
      continue;
    const uint32_t out = m.table.Intern(table_.at(id));
    for (const auto& [k, v] : s.points)
      m.steps[k].push_back({out, v});
    s.points = {};
  }
  return m;
}

}  // namespace sluice::logql::engine
