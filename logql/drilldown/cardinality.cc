#include "logql/drilldown/cardinality.h"

#include <bit>
#include <cmath>
#include <functional>

namespace sluice::logql::drilldown {

uint64_t HashValue(std::string_view value) {
  uint64_t z = std::hash<std::string_view>{}(value) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void CardinalityEstimator::Insert(std::string_view value) {
  uint64_t h = HashValue(value);
  if (registers_.empty()) {
    exact_.insert(h);
    if (exact_.size() > kExactLimit)
      SwitchToSketch();
    return;
  }
  AddHash(h);
}

void CardinalityEstimator::AddHash(uint64_t h) {
  size_t idx = h >> (64 - kPrecision);
  uint64_t rest = (h << kPrecision) | (uint64_t{1} << (kPrecision - 1));  // never all zero
  auto rank = static_cast<uint8_t>(std::countl_zero(rest) + 1);
  if (rank > registers_[idx])
    registers_[idx] = rank;
}

void CardinalityEstimator::SwitchToSketch() {
  registers_.assign(size_t{1} << kPrecision, 0);
  for (uint64_t h : exact_)
    AddHash(h);
  exact_.clear();
  exact_.rehash(0);
}

uint64_t CardinalityEstimator::Estimate() const {
  if (registers_.empty())
    return exact_.size();
  const double m = static_cast<double>(registers_.size());
  double sum = 0;
  int zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    if (r == 0)
      ++zeros;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros > 0)
    e = m * std::log(m / zeros);  // linear counting for small ranges
  return static_cast<uint64_t>(std::llround(e));
}

}  // namespace sluice::logql::drilldown
