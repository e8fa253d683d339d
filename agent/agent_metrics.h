// The agent's /metrics: one struct of metric pointers registered in a Registry (the agent's
// own, so tests can run several agents in one process).
//   sluice_agent_read_bytes_total{job}, sluice_agent_read_lines_total{job}
//   sluice_agent_schema_valid_lines_total{job},
//   sluice_agent_schema_invalid_lines_total{job,keyword} sluice_agent_dropped_entries_total{reason}
//   (schema, drop_stage, line_too_long, http_4xx, ...) sluice_agent_sent_entries_total{tenant},
//   sluice_agent_sent_bytes_total{tenant} sluice_agent_requests_total{status}  ("200", "429",
//   "network", ...) sluice_agent_retries_total{reason}, sluice_agent_request_duration_seconds
//   sluice_agent_file_lag_bytes{path}  (file size minus acknowledged offset)
//   sluice_agent_files_active, sluice_agent_buffered_bytes,
//   sluice_agent_malformed_lines_total{format}, sluice_agent_positions_writes_total
// Thread-safety: the metric objects are thread-safe.
#pragma once

#include "common/metrics.h"

namespace sluice::agent {

struct AgentMetrics {
  explicit AgentMetrics(Registry* registry);

  Registry* registry;
  Counter* read_bytes;
  Counter* read_lines;
  Counter* schema_valid;
  Counter* schema_invalid;
  Counter* dropped;
  Counter* sent_entries;
  Counter* sent_bytes;
  Counter* requests;
  Counter* retries;
  Histogram* request_duration;
  Gauge* file_lag;
  Gauge* files_active;
  Gauge* buffered_bytes;
  Counter* malformed;
  Counter* positions_writes;
};

}  // namespace sluice::agent
