// Small helpers shared by the issue-5 end-to-end bench programs (grafana_http_latency,
// tail_latency): `--name value` flag parsing, wall-clock nanoseconds, and percentiles.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace sluice::bench {

inline int64_t WallNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Parses `--name value` pairs into the integer flags of `flags`; false (after a message) on an
// unknown flag or a missing value.
inline bool ParseIntFlags(int argc, char** argv, const std::map<std::string, int64_t*>& flags) {
  for (int i = 1; i < argc; i += 2) {
    auto it = flags.find(argv[i]);
    if (it == flags.end() || i + 1 >= argc) {
      std::fprintf(stderr, "unknown flag or missing value: %s\n", argv[i]);
      return false;
    }
    *it->second = std::stoll(argv[i + 1]);
  }
  return true;
}

struct Percentiles {
  double median = 0, p99 = 0, max = 0;
};

inline Percentiles Summarise(std::vector<double> v) {
  Percentiles p;
  if (v.empty())
    return p;
  std::sort(v.begin(), v.end());
  p.median = v[v.size() / 2];
  p.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  p.max = v.back();
  return p;
}

}  // namespace sluice::bench
