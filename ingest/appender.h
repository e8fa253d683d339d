// ingest::Appender: where validated push data goes (house style #4's mirror image for writes).
// server/ implements it over chunks/ (WAL + head blocks) and index/; tests use an in-memory one.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/status.h"

namespace sluice::ingest {

// One stream of a push after decoding, merging of same-label streams, validation and
// enrichment (service_name, detected_level). Entries are in request order.
struct PushStream {
  Labels labels;
  std::vector<OwnedEntry> entries;
};

// Why the store refused an entry that passed stateless validation.
enum class RejectReason {
  kTooFarBehind,  // older than the stream's newest entry minus the out-of-order window
};

struct Rejection {
  size_t stream_index = 0;  // into the `streams` argument of Append
  size_t entry_index = 0;
  RejectReason reason = RejectReason::kTooFarBehind;
  int64_t bound_ns = 0;  // oldest acceptable timestamp for kTooFarBehind
};

struct AppendReport {
  int64_t accepted_entries = 0;
  int64_t duplicates_dropped = 0;  // equal (ts, line, metadata) to the stream's last: silent
  std::vector<Rejection> rejections;
};

class Appender {
 public:
  virtual ~Appender() = default;
  // Appends the accepted entries durably: when this returns OK they are in the WAL and the WAL
  // is synced, so they survive kill -9. Entries listed in `report->rejections` were not stored.
  // A non-OK status means nothing of this call may be assumed stored (HTTP 500).
  virtual Status Append(std::string_view tenant, const std::vector<PushStream>& streams,
                        AppendReport* report) = 0;
};

}  // namespace sluice::ingest
