// ingest::Limits: the per-tenant push limits, with Loki 3.x defaults (pkg/validation/limits.go),
// and ingest::PushOptions, the PushHandler's configuration.
// Thread-safety: plain values; PushHandler copies them at construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "common/clock.h"

namespace sluice::ingest {

inline constexpr int64_t kNanosPerMinute = 60LL * 1'000'000'000;
inline constexpr int64_t kNanosPerHour = 60 * kNanosPerMinute;

struct Limits {
  // Longest accepted log line in bytes (Loki's `max_line_size: 256KB`, which Go's humanize
  // parses as 256 000). 0 disables the check.
  size_t max_line_size = 256000;
  // When true, over-long lines are cut to max_line_size instead of rejected.
  bool max_line_size_truncate = false;
  // Most label names per stream, not counting a service_name added at ingest.
  int max_label_names_per_series = 15;
  size_t max_label_name_length = 1024;   // bytes
  size_t max_label_value_length = 2048;  // bytes
  // Entries older than now - reject_old_samples_max_age_ns are refused (when enabled).
  bool reject_old_samples = true;
  int64_t reject_old_samples_max_age_ns = 7 * 24 * kNanosPerHour;
  // Entries newer than now + creation_grace_period_ns are refused.
  int64_t creation_grace_period_ns = 10 * kNanosPerMinute;
  // Structured metadata per entry: total bytes of names + values, and number of pairs.
  // 0 disables either check.
  size_t max_structured_metadata_size = 64 * 1024;
  int max_structured_metadata_entries = 128;
  // Tenant ingestion rate (line + metadata bytes) in MB/s (MiB, as Loki) and burst in MB.
  // 0 = unlimited. Loki's defaults (4 / 6) would throttle benchmarks, so Sluice's are off.
  double ingestion_rate_mb = 0;
  double ingestion_burst_size_mb = 0;
  // Most active streams per tenant (streams pushed to within the last stream_idle_ns, as seen
  // by this PushHandler). 0 = unlimited (Loki's default is 5000).
  int max_streams_per_user = 0;
  // Add a service_name label to streams without one (Loki's discover_service_name).
  bool discover_service_name = true;
  // Add structured metadata detected_level to entries (Loki's discover_log_levels).
  bool discover_log_levels = true;
};

struct PushOptions {
  // Limits of every tenant without an entry in per_tenant.
  Limits defaults;
  // Overrides by tenant ID (whole Limits structs, not field by field).
  std::map<std::string, Limits> per_tenant;
  // Largest request body as received (before Content-Encoding / snappy), in bytes (413 above).
  // Loki's server default receive limit is 100 MiB.
  size_t max_body_bytes = 100u << 20;
  // Largest body after gzip/deflate and after snappy, in bytes (413 above). Guards against
  // decompression bombs; each push holds at most this much decoded data in memory.
  size_t max_decompressed_bytes = 256u << 20;
  // A stream idle this long no longer counts towards max_streams_per_user (Loki flushes idle
  // streams after chunk_idle_period, 30m).
  int64_t stream_idle_ns = 30 * kNanosPerMinute;
  // Time source for the too-old / too-new checks and rate limiting. Never null.
  Clock* clock = Clock::Default();
};

}  // namespace sluice::ingest
