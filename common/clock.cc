#include "common/clock.h"

#include <chrono>

namespace sluice {

namespace {

class SystemClock final : public Clock {
 public:
  int64_t NowNanos() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t MonotonicNanos() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Clock* Clock::Default() {
  static SystemClock* clock = new SystemClock();  // never destroyed: usable during shutdown
  return clock;
}

}  // namespace sluice
