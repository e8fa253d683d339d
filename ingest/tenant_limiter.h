// TenantLimiter: the per-tenant ingestion rate limit (a token bucket with Go rate.Limiter's
// semantics: refill at rate, hold at most burst, a request larger than the tokens is refused
// whole and consumes nothing) and the active-stream limit (streams pushed to within idle_ns).
// Both are off while the tenant's limit is 0, and then cost nothing.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/limits.h"

namespace sluice::ingest {

class TenantLimiter {
 public:
  // True when `bytes` fit the tenant's bucket at `now_ns` (and takes them).
  bool AllowBytes(std::string_view tenant, const Limits& limits, int64_t now_ns, int64_t bytes);

  // Rate limit in bytes per second for the tenant (Loki prints it in the 429 text).
  static int64_t RateBytesPerSecond(const Limits& limits);

  // Marks the streams `hashes` as active at `now_ns`. Returns the indices (into `hashes`) of new
  // streams that would take the tenant over max_streams_per_user; those are not recorded.
  std::vector<size_t> AdmitStreams(std::string_view tenant, const Limits& limits, int64_t now_ns,
                                   int64_t idle_ns, const std::vector<uint64_t>& hashes);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t last_ns = 0;
    bool started = false;
  };

  struct ActiveStreams {
    std::unordered_map<uint64_t, int64_t> last_seen;
    int64_t last_sweep_ns = 0;
  };

  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;         // GUARDED_BY(mu_)
  std::unordered_map<std::string, ActiveStreams> streams_;  // GUARDED_BY(mu_)
};

}  // namespace sluice::ingest
