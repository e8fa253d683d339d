// TailHub: publish/subscribe for GET /loki/api/v1/tail (live tailing), without any networking.
// The push path publishes every accepted entry (TailingAppender wraps the storage's Appender);
// each subscription filters them with its own LogQL log query (logql/drilldown/entry_filter.h)
// into a bounded queue. A subscriber that falls behind (queue full) loses entries, which are
// reported once in its next frame as Loki's `dropped_entries`. The WebSocket session
// (tail_websocket.h) turns frames into text messages; tests read them directly.
//
//   TailHub hub(TailHubOptions{});
//   TailingAppender appender(storage.get(), &hub);          // the PushHandler writes here
//   auto sub = hub.Subscribe("fake", TailRequest{.query = R"({app="api"} |= "error")"});
//   TailFrame frame;
//   while (sub->WaitFrame(std::chrono::seconds(1), &frame)) Send(RenderTailFrame(frame, false));
//   // WaitFrame returns false once the hub shuts down or the subscription is closed.
//
// Entries published with a delay (`delay_for`, <= 5 s) are held that long before delivery and
// delivered in timestamp order, as Loki's tailer does to smooth out-of-order arrival.
// Thread-safety: all methods are thread-safe; Publish runs concurrently with everything.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/labels.h"
#include "common/result.h"
#include "ingest/appender.h"

namespace sluice::logql {
class Engine;
}

namespace sluice::logql::drilldown {
class EntryFilter;
}

namespace sluice::server {

struct TailHubOptions {
  // Entries buffered per subscriber before new ones are dropped. Default 10 000 (1 s at
  // 10 k lines/s).
  size_t queue_entries = 10000;
  // Dropped entries remembered per frame (Loki reports at most a bounded list too).
  size_t max_dropped_reported = 1000;
  // Concurrent tails per tenant (Loki's max_concurrent_tail_requests, 10).
  int max_tails_per_tenant = 10;
  Clock* clock = Clock::Default();
};

struct TailRequest {
  std::string query;         // a log query
  int64_t delay_for_ns = 0;  // hold entries this long before delivery
  bool categorize_labels = false;
};

// One entry of a frame, after the query's pipeline.
struct TailEntry {
  Labels labels;  // full label set (or stream labels only, with categorize_labels)
  int64_t timestamp_ns = 0;
  std::string line;
  std::vector<Label> structured_metadata;  // categorize_labels only
  std::vector<Label> parsed;               // categorize_labels only
};

struct DroppedEntry {
  Labels labels;
  int64_t timestamp_ns = 0;
};

struct TailFrame {
  std::vector<TailEntry> entries;  // ascending timestamps within a frame
  std::vector<DroppedEntry> dropped;

  bool empty() const { return entries.empty() && dropped.empty(); }
};

class TailSubscription {
 public:
  ~TailSubscription();

  // Waits up to `timeout` for deliverable entries or dropped notices; fills *frame (cleared
  // first; possibly empty on timeout). Returns false once closed (hub shutdown or Close()),
  // after the last buffered entries were handed out.
  bool WaitFrame(std::chrono::milliseconds timeout, TailFrame* frame);
  // Stops delivery and unregisters from the hub. Idempotent.
  void Close();
  bool closed() const;

  const TailRequest& request() const { return request_; }

  // `notify` runs whenever a push queued entries or dropped some, so a consumer can take them
  // at once instead of polling. It runs under the subscription's lock on the pushing thread:
  // it must be quick and must not call back into the subscription (post a wake-up instead).
  void SetNotify(std::function<void()> notify);

 private:
  friend class TailHub;
  TailSubscription(class TailHub* hub, std::string tenant, TailRequest request,
                   std::unique_ptr<logql::drilldown::EntryFilter> filter,
                   std::shared_ptr<std::atomic<int>> live);
  // Called by the hub (under no hub lock) for one pushed stream.
  void Offer(const ingest::PushStream& stream, const std::vector<bool>* rejected);
  // `notify`: run the consumer's notify (a close it did not ask for).
  void MarkClosed(bool notify = false);

  struct Pending {
    TailEntry entry;
    int64_t deliver_at_ns = 0;
  };

  class TailHub* hub_;
  const std::string tenant_;
  const TailRequest request_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<logql::drilldown::EntryFilter> filter_;  // guarded by mu_
  std::deque<Pending> queue_;                              // guarded by mu_
  std::vector<DroppedEntry> dropped_;                      // guarded by mu_
  bool closed_ = false;                                    // guarded by mu_
  std::function<void()> notify_;                           // guarded by mu_
  std::shared_ptr<std::atomic<int>> live_;                 // the hub's count of subscriptions
};

class TailHub {
 public:
  explicit TailHub(TailHubOptions options = {});
  ~TailHub();

  // Errors: InvalidArgument for a bad or metric query (Loki's parser text); ResourceExhausted
  // "max concurrent tail requests limit exceeded" beyond max_tails_per_tenant;
  // FailedPrecondition after Shutdown().
  Result<std::shared_ptr<TailSubscription>> Subscribe(std::string tenant, TailRequest request);

  // Offers the accepted entries of a push to the tenant's subscriptions. `report` (may be
  // null) lists entries the store refused; they are not published.
  void Publish(std::string_view tenant, const std::vector<ingest::PushStream>& streams,
               const ingest::AppendReport* report);

  // Closes every subscription (their WaitFrame returns false; their consumers are notified)
  // and refuses new ones.
  void Shutdown();
  // After Shutdown: waits until every subscription is gone (its session sent its close frame
  // and let go of it), at most `max_wait`. Returns whether they all were.
  bool WaitForSubscriptionsToEnd(std::chrono::milliseconds max_wait) const;

  size_t subscribers() const;

  const TailHubOptions& options() const { return options_; }

 private:
  friend class TailSubscription;
  void Remove(TailSubscription* sub);

  TailHubOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<TailSubscription>>> by_tenant_;
  bool shut_down_ = false;
  // Subscriptions alive, held by their sessions too: shared so that a subscription outliving
  // the hub cannot touch freed memory when it goes.
  std::shared_ptr<std::atomic<int>> live_ = std::make_shared<std::atomic<int>>(0);
};

// ingest::Appender decorator: appends through `inner`, then publishes what was accepted.
class TailingAppender final : public ingest::Appender {
 public:
  TailingAppender(ingest::Appender* inner, TailHub* hub) : inner_(inner), hub_(hub) {}

  Status Append(std::string_view tenant, const std::vector<ingest::PushStream>& streams,
                ingest::AppendReport* report) override;

 private:
  ingest::Appender* inner_;
  TailHub* hub_;
};

// The entries of `query` in [start_ns, end_ns), the newest `limit`, oldest first: what a tail
// sends before live entries (Loki's tail `start`).
Result<TailFrame> ReplayTail(const logql::Engine& engine, std::string_view tenant,
                             const TailRequest& request, int64_t start_ns, int64_t end_ns,
                             uint32_t limit);

// Loki's tail message: {"streams":[{"stream":{...},"values":[[ts,line]...]}...],
// "dropped_entries":[{"labels":{...},"timestamp":"ns"}]} (dropped_entries only when some were
// dropped; with categorize_labels, 3-element values and "encodingFlags":["categorize-labels"]).
std::string RenderTailFrame(const TailFrame& frame, bool categorize_labels);

}  // namespace sluice::server
