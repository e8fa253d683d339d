// ServerMetrics: the Prometheus metrics the server exports on GET /metrics: request durations
// by route and status code, received lines/bytes per tenant, and storage figures (active
// streams, head, WAL, flushes) sampled from chunks::Store at scrape time.
// Thread-safety: all methods are thread-safe.
#pragma once

#include <mutex>
#include <string>

#include "chunks/store.h"
#include "common/metrics.h"

namespace sluice::server {

class ServerMetrics {
 public:
  // Metrics are created in `registry` (borrowed; must outlive this).
  explicit ServerMetrics(Registry* registry);

  Histogram* request_duration() { return request_duration_; }

  void RecordPush(const std::string& tenant, int64_t lines, int64_t bytes);

  // Samples storage figures into gauges/counters, then renders `registry` (and the process
  // default registry, where modules may register their own metrics, if it is another one).
  std::string Render(chunks::Store* store);

 private:
  Registry* registry_;
  Histogram* request_duration_;
  Counter* lines_received_;
  Counter* bytes_received_;
  Gauge* active_streams_;
  Gauge* tenants_;
  Gauge* head_entries_;
  Gauge* head_bytes_;
  Gauge* wal_segments_;
  Gauge* wal_bytes_;
  Counter* wal_syncs_;
  Counter* wal_records_;
  Counter* chunks_flushed_;
  Counter* chunk_bytes_flushed_;
  Gauge* wal_replayed_entries_;
  Gauge* wal_corruptions_;

  std::mutex mu_;
  chunks::Store::Stats last_;  // counter values already exported (for deltas)
};

}  // namespace sluice::server
