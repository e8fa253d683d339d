// CardinalityEstimator: how many distinct strings were inserted, in bounded memory. Loki's
// detected_fields / detected_labels report a HyperLogLog estimate (axiomhq/hyperloglog); this
// one counts exactly while the set is small (up to kExactLimit distinct values, the common
// case for fields Grafana shows) and switches to a HyperLogLog with 2^12 registers (4 KiB,
// ~1.6 % standard error) beyond that, so a field with millions of values costs 4 KiB.
//
//   CardinalityEstimator c;
//   c.Insert("GET"); c.Insert("POST"); c.Insert("GET");
//   c.Estimate() == 2;
//
// Thread-safety: none (one per collecting thread).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sluice::logql::drilldown {

class CardinalityEstimator {
 public:
  // Distinct values counted exactly before switching to the sketch.
  static constexpr size_t kExactLimit = 1024;
  static constexpr int kPrecision = 12;

  void Insert(std::string_view value);
  uint64_t Estimate() const;

  // True once the exact set overflowed into the HyperLogLog registers.
  bool approximate() const { return !registers_.empty(); }

 private:
  void AddHash(uint64_t h);
  void SwitchToSketch();

  std::unordered_set<uint64_t> exact_;  // 64-bit hashes while exact
  std::vector<uint8_t> registers_;      // 2^kPrecision registers once approximate
};

// The 64-bit hash the estimator uses (std::hash, finalised with splitmix64 so that the low
// bits are well mixed for the register index).
uint64_t HashValue(std::string_view value);

}  // namespace sluice::logql::drilldown
