// Shipper: one per client. Holds entries in per-tenant batches, seals a batch at `batchsize`
// bytes or `batchwait` age, and sends sealed batches in order on its own thread through a
// BatchSender (retries, backoff, 413 splitting). Memory is bounded: HasRoom() turns false
// when max_buffered_bytes are held (batched, in flight or retrying), and the tailer stops
// reading until the server catches up. With DurableAcks, an acknowledged batch is held (its
// bytes count, not its entries) until the positions file records it, so the held bytes bound
// what a kill -9 makes the agent send again. With dry_run, batches are printed to stdout instead.
//
//   Shipper shipper(options);
//   shipper.Start();
//   if (shipper.HasRoom()) shipper.Push(std::move(entry));
//   shipper.Shutdown(deadline);  // sends what is held, gives up at the deadline
//
// Thread-safety: Push/HasRoom from any thread; Start/Shutdown from the owner.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "agent/agent_metrics.h"
#include "agent/batch.h"
#include "agent/config.h"
#include "agent/durable_acks.h"
#include "agent/http_client.h"

namespace sluice {
class Clock;
}

namespace sluice::agent {

class Shipper {
 public:
  struct Options {
    ClientConfig client;
    std::unique_ptr<HttpClient> http;  // required unless dry_run
    AgentMetrics* metrics = nullptr;   // may be null
    const Clock* clock = nullptr;      // null: Clock::Default()
    bool dry_run = false;
    uint64_t seed = 1;
    // Null: an acknowledged batch's bytes are released at once.
    DurableAcks* acks = nullptr;
  };

  explicit Shipper(Options options);
  ~Shipper();  // stops without flushing if Shutdown was not called
  Shipper(const Shipper&) = delete;
  Shipper& operator=(const Shipper&) = delete;

  void Start();
  bool HasRoom() const;
  // Adds the client's external labels (the entry's own labels win) and queues the entry.
  void Push(ShipEntry entry);
  // Stops accepting work, sends everything held, and joins the thread; gives up at
  // `deadline_mono_ns` (unsent entries stay unacknowledged). Idempotent.
  void Shutdown(int64_t deadline_mono_ns);

  size_t buffered_bytes() const;
  // Batches sealed or open, for tests.
  bool Idle() const;

 private:
  void Run();
  bool Sleep(int64_t ns);
  void Print(const Batch& batch);
  // Releases acknowledged batches the positions file now records. REQUIRES: mu_ held.
  void ReleaseDurable() const;

  Options options_;
  const Clock* clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Batch> open_;  // by tenant
  std::deque<Batch> sealed_;
  // Acknowledged, not yet in the positions file: (DurableAcks sequence number, bytes).
  mutable std::deque<std::pair<uint64_t, size_t>> unpersisted_;
  mutable size_t buffered_ = 0;
  bool in_flight_ = false;
  bool draining_ = false;
  bool abort_ = false;
  std::thread thread_;
};

}  // namespace sluice::agent
