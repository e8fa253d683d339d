// BatchSender: pushes one Batch to one client with Promtail's retry rules, made stricter:
//   2xx: sent, entries acknowledged.
//   429, 5xx, network errors: retried with exponential backoff (min_period doubling up to
//     max_period) and jitter (a uniform draw in [d/2, d]); a Retry-After header (seconds or
//     HTTP date) lengthens the wait. Retries go on while the process runs (max_retries 0) or up
//     to max_retries, then the batch is given up (counted, acknowledged).
//     With drop_rate_limited_batches a 429 gives the batch up at once.
//   413: the batch is split in halves, each sent on its own; a single entry still too large is
//     given up (counted).
//   other 4xx: never resent (Loki stored the valid streams of a 400 batch); counted, acknowledged.
// A batch interrupted by shutdown (sleep returns false) is not acknowledged, so its lines are
// sent again after restart.
// Thread-safety: one sender per shipper thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string_view>

#include "agent/agent_metrics.h"
#include "agent/batch.h"
#include "agent/config.h"
#include "agent/http_client.h"

namespace sluice {
class Clock;
}

namespace sluice::agent {

enum class SendOutcome { kSent, kGivenUp, kAborted };

class BatchSender {
 public:
  struct Options {
    const ClientConfig* client = nullptr;  // required
    HttpClient* http = nullptr;            // required
    AgentMetrics* metrics = nullptr;       // may be null
    const Clock* clock = nullptr;          // null: Clock::Default()
    // Waits `ns`; returns false when the wait was cut short by shutdown (the send aborts).
    std::function<bool(int64_t ns)> sleep;
    uint64_t seed = 1;  // jitter
  };

  explicit BatchSender(Options options);

  // Sends `batch` (all of it, split if needed). Acknowledges entries sent or given up.
  SendOutcome Send(const Batch& batch);

  // The backoff before retry number `attempt` (1-based), before jitter.
  static int64_t BaseDelay(int attempt, const BackoffConfig& backoff);
  // Retry-After as a wait in ns from `now_wall_ns`: delta-seconds or an IMF-fixdate.
  static std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_wall_ns);

  // Counters for tests and logs.
  uint64_t requests() const { return requests_; }

 private:
  SendOutcome SendWhole(const Batch& batch);
  void Finish(const Batch& batch, bool sent, std::string_view reason);

  Options options_;
  const Clock* clock_;
  std::mt19937_64 rng_;
  uint64_t requests_ = 0;
};

}  // namespace sluice::agent
