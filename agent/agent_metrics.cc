#include "agent/agent_metrics.h"

namespace sluice::agent {

AgentMetrics::AgentMetrics(Registry* r)
    : registry(r),
      read_bytes(
          r->NewCounter("sluice_agent_read_bytes_total", "Bytes read from tailed files.", {"job"})),
      read_lines(r->NewCounter("sluice_agent_read_lines_total",
                               "Log lines decoded from tailed files.", {"job"})),
      schema_valid(r->NewCounter("sluice_agent_schema_valid_lines_total",
                                 "Lines valid against the schema stage's schema.", {"job"})),
      schema_invalid(r->NewCounter("sluice_agent_schema_invalid_lines_total",
                                   "Lines invalid against the schema, by failing keyword.",
                                   {"job", "keyword"})),
      dropped(r->NewCounter("sluice_agent_dropped_entries_total", "Entries not shipped, by reason.",
                            {"reason"})),
      sent_entries(r->NewCounter("sluice_agent_sent_entries_total",
                                 "Entries acknowledged by the server.", {"tenant"})),
      sent_bytes(r->NewCounter("sluice_agent_sent_bytes_total",
                               "Line bytes acknowledged by the server.", {"tenant"})),
      requests(
          r->NewCounter("sluice_agent_requests_total", "Push requests, by outcome.", {"status"})),
      retries(r->NewCounter("sluice_agent_retries_total", "Push retries, by reason.", {"reason"})),
      request_duration(
          r->NewHistogram("sluice_agent_request_duration_seconds", "Push request latency.", {})),
      file_lag(r->NewGauge("sluice_agent_file_lag_bytes",
                           "File size minus the acknowledged offset.", {"path"})),
      files_active(r->NewGauge("sluice_agent_files_active", "Files being tailed.")),
      buffered_bytes(r->NewGauge("sluice_agent_buffered_bytes",
                                 "Entry bytes held in memory for the clients.")),
      malformed(r->NewCounter("sluice_agent_malformed_lines_total",
                              "Container-format lines that did not parse (shipped raw).",
                              {"format"})),
      positions_writes(r->NewCounter("sluice_agent_positions_writes_total",
                                     "Positions file writes (each a temp file, fsync, rename).")) {}

}  // namespace sluice::agent
