#include "server/server_metrics.h"

namespace sluice::server {

namespace {

// Request latencies span a 1 ms health check to a multi-second scan.
std::vector<double> DurationBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60};
}

void AddDelta(Counter* c, uint64_t now, uint64_t* last) {
  if (now > *last)
    c->Inc({}, static_cast<double>(now - *last));
  *last = now;
}

}  // namespace

ServerMetrics::ServerMetrics(Registry* registry) : registry_(registry) {
  Registry* r = registry;
  request_duration_ =
      r->NewHistogram("sluice_request_duration_seconds", "Time spent serving HTTP requests.",
                      {"route", "method", "status_code"}, DurationBuckets());
  lines_received_ = r->NewCounter("sluice_distributor_lines_received_total",
                                  "Log lines accepted by push, per tenant.", {"tenant"});
  bytes_received_ = r->NewCounter("sluice_distributor_bytes_received_total",
                                  "Log line bytes accepted by push, per tenant.", {"tenant"});
  active_streams_ = r->NewGauge("sluice_ingester_memory_streams", "Streams known in memory.");
  tenants_ = r->NewGauge("sluice_tenants", "Tenants with data.");
  head_entries_ = r->NewGauge("sluice_head_entries", "Entries not yet in a flushed chunk.");
  head_bytes_ = r->NewGauge("sluice_head_bytes", "Uncompressed bytes of head entries.");
  wal_segments_ = r->NewGauge("sluice_wal_segments", "Live WAL segment files.");
  wal_bytes_ = r->NewGauge("sluice_wal_bytes", "Bytes in live WAL segment files.");
  wal_syncs_ = r->NewCounter("sluice_wal_syncs_total", "WAL fdatasync calls (group commits).");
  wal_records_ = r->NewCounter("sluice_wal_records_total", "WAL records written.");
  chunks_flushed_ = r->NewCounter("sluice_chunks_flushed_total", "Chunks written.");
  chunk_bytes_flushed_ =
      r->NewCounter("sluice_chunk_bytes_flushed_total", "Compressed bytes of chunks written.");
  wal_replayed_entries_ =
      r->NewGauge("sluice_wal_replayed_entries", "Entries restored from the WAL at start.");
  wal_corruptions_ =
      r->NewGauge("sluice_wal_corruptions", "Torn or corrupt WAL regions skipped at start.");
}

void ServerMetrics::RecordPush(const std::string& tenant, int64_t lines, int64_t bytes) {
  if (lines > 0)
    lines_received_->Inc({tenant}, static_cast<double>(lines));
  if (bytes > 0)
    bytes_received_->Inc({tenant}, static_cast<double>(bytes));
}

std::string ServerMetrics::Render(chunks::Store* store) {
  if (store != nullptr) {
    chunks::Store::Stats s = store->GetStats();
    std::lock_guard lock(mu_);
    active_streams_->Set(static_cast<double>(s.streams));
    tenants_->Set(static_cast<double>(s.tenants));
    head_entries_->Set(static_cast<double>(s.head_entries));
    head_bytes_->Set(static_cast<double>(s.head_bytes));
    wal_segments_->Set(static_cast<double>(s.wal_segments));
    wal_bytes_->Set(static_cast<double>(s.wal_bytes));
    wal_replayed_entries_->Set(static_cast<double>(s.wal_replayed_entries));
    wal_corruptions_->Set(static_cast<double>(s.wal_corruptions));
    AddDelta(wal_syncs_, s.wal_syncs, &last_.wal_syncs);
    AddDelta(wal_records_, s.wal_records, &last_.wal_records);
    AddDelta(chunks_flushed_, s.chunks_flushed, &last_.chunks_flushed);
    AddDelta(chunk_bytes_flushed_, s.chunk_bytes_flushed, &last_.chunk_bytes_flushed);
  }
  std::string out = registry_->Render();
  if (registry_ != Registry::Default())
    out += Registry::Default()->Render();
  return out;
}

}  // namespace sluice::server
