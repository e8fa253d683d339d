#include "ingest/tenant_limiter.h"

#include <algorithm>

namespace sluice::ingest {

namespace {
constexpr double kBytesPerMB = 1024.0 * 1024.0;  // Loki's MB limits are MiB
}  // namespace

int64_t TenantLimiter::RateBytesPerSecond(const Limits& limits) {
  return static_cast<int64_t>(limits.ingestion_rate_mb * kBytesPerMB);
}

bool TenantLimiter::AllowBytes(std::string_view tenant, const Limits& limits, int64_t now_ns,
                               int64_t bytes) {
  if (limits.ingestion_rate_mb <= 0)
    return true;
  double rate = limits.ingestion_rate_mb * kBytesPerMB;
  // A burst of 0 would refuse everything; treat it as one second's worth.
  double burst =
      limits.ingestion_burst_size_mb > 0 ? limits.ingestion_burst_size_mb * kBytesPerMB : rate;
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = buckets_[std::string(tenant)];
  if (!b.started) {
    b.started = true;
    b.tokens = burst;
    b.last_ns = now_ns;
  }
  if (now_ns > b.last_ns) {
    b.tokens = std::min(burst, b.tokens + static_cast<double>(now_ns - b.last_ns) * rate / 1e9);
    b.last_ns = now_ns;
  }
  b.tokens = std::min(b.tokens, burst);
  if (static_cast<double>(bytes) > b.tokens)
    return false;
  b.tokens -= static_cast<double>(bytes);
  return true;
}

std::vector<size_t> TenantLimiter::AdmitStreams(std::string_view tenant, const Limits& limits,
                                                int64_t now_ns, int64_t idle_ns,
                                                const std::vector<uint64_t>& hashes) {
  std::vector<size_t> refused;
  if (limits.max_streams_per_user <= 0)
    return refused;
  std::lock_guard<std::mutex> lock(mu_);
  ActiveStreams& active = streams_[std::string(tenant)];
  auto sweep = [&] {
    std::erase_if(active.last_seen, [&](const auto& kv) { return kv.second < now_ns - idle_ns; });
    active.last_sweep_ns = now_ns;
  };
  if (now_ns - active.last_sweep_ns > idle_ns / 4)
    sweep();
  const size_t limit = static_cast<size_t>(limits.max_streams_per_user);
  for (size_t i = 0; i < hashes.size(); ++i) {
    auto it = active.last_seen.find(hashes[i]);
    if (it != active.last_seen.end()) {
      it->second = now_ns;
      continue;
    }
    if (active.last_seen.size() >= limit && active.last_sweep_ns != now_ns)
      sweep();
    if (active.last_seen.size() >= limit) {
      refused.push_back(i);
      continue;
    }
    active.last_seen.emplace(hashes[i], now_ns);
  }
  return refused;
}

}  // namespace sluice::ingest
