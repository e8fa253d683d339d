// Clock seam (house style #6): code that reads the time takes a Clock* from its Options;
// Clock::Default() is the real clock, ManualClock lets tests move time by hand.
#pragma once

#include <atomic>
#include <cstdint>

namespace sluice {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, nanoseconds since the Unix epoch.
  virtual int64_t NowNanos() const = 0;
  // Monotonic time for measuring intervals, nanoseconds from an arbitrary origin.
  virtual int64_t MonotonicNanos() const = 0;

  // The process-wide real clock. Never null; never deleted.
  static Clock* Default();
};

// A clock that stands still until told to move. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ns = 0) : now_(now_ns) {}
  int64_t NowNanos() const override { return now_.load(); }
  int64_t MonotonicNanos() const override { return now_.load(); }
  void Set(int64_t ns) { now_.store(ns); }
  void Advance(int64_t ns) { now_.fetch_add(ns); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace sluice
