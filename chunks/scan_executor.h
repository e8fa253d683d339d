// Parallel read-ahead for scans. A stream iterator walks its chunks one group at a time; with
// read-ahead, the next groups are opened, decoded, filtered and copied into a compact buffer
// (Materialize) as tasks while the caller consumes the current one. Worker threads run the
// tasks, and a caller that waits for a task first runs pending ones of its own inline, so a
// scan of a long stream keeps every core busy instead of one.
//
//   if (ReadAheadTask::ReserveSlot()) task = ReadAheadTask::Start([=] { return open(); });
//   ...
//   std::unique_ptr<EntryIterator> it = task->Take(&siblings);  // runs it inline if pending
//
// Memory is bounded process-wide: at most kMaxOutstandingTasks tasks exist (taken or not yet)
// at any time; when none is free the caller simply reads lazily as without read-ahead.
// A task must be Taken or Cancelled before what its work function borrows (the Store) dies.
// Thread-safety: a task may be run by a worker while its owner takes or cancels it.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "common/iterator.h"

namespace sluice::chunks {

class ReadAheadTask {
 public:
  using Work = std::function<std::unique_ptr<EntryIterator>()>;

  // Takes one of the process-wide task slots; false when all are in use.
  static bool ReserveSlot();
  // Queues `work` for a worker. REQUIRES: ReserveSlot() returned true (the task owns that
  // slot until it is destroyed).
  static std::shared_ptr<ReadAheadTask> Start(Work work);

  ~ReadAheadTask();

  // The result; runs the work inline if no worker started it yet. While a worker runs it,
  // runs pending tasks of `siblings` (later tasks of the same scan) instead of idling.
  std::unique_ptr<EntryIterator> Take(std::span<const std::shared_ptr<ReadAheadTask>> siblings);
  // Drops a pending task, or waits for a running one to finish (its result is discarded).
  void Cancel();

  // Runs the work if still pending; false if someone else has it. For the workers.
  bool TryRun();

  explicit ReadAheadTask(Work work) : work_(std::move(work)) {}

 private:
  enum class State { kPending, kRunning, kDone, kCancelled };

  void Run();  // REQUIRES: state_ was switched to kRunning by the caller

  std::mutex mu_;
  std::condition_variable cv_;
  State state_ = State::kPending;
  Work work_;
  std::unique_ptr<EntryIterator> result_;
};

// Drains `input` into an iterator over a compact copy of its entries (same order, labels,
// hash and final status).
std::unique_ptr<EntryIterator> Materialize(std::unique_ptr<EntryIterator> input);

}  // namespace sluice::chunks
