// DurableAcks: ties the shippers' acknowledgements to the positions file, so that what a
// `kill -9` makes the agent send again is bounded by the shippers' buffer limit.
//
// A shipper calls Acked() after the server acknowledged a batch (its entries' FileProgress is
// updated first); that wakes the tailing thread (wake_fd() turns readable), which records the
// acknowledged offsets and has the positions file written (PositionsWriter, off its thread),
// then calls MarkDurable(seq) with the sequence number it read before recording. A shipper
// keeps counting an acknowledged batch's bytes against its buffer until durable() reaches the
// batch's sequence number: data is "in flight" from the moment it is read until the positions
// file says it need not be read again.
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace sluice::agent {

class DurableAcks {
 public:
  DurableAcks() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

  ~DurableAcks() {
    if (fd_ >= 0)
      ::close(fd_);
  }

  DurableAcks(const DurableAcks&) = delete;
  DurableAcks& operator=(const DurableAcks&) = delete;

  // A batch was acknowledged; returns its sequence number.
  uint64_t Acked() {
    uint64_t seq = acked_.fetch_add(1) + 1;
    if (fd_ >= 0) {
      uint64_t one = 1;
      ssize_t n = ::write(fd_, &one, sizeof(one));
      (void)n;  // EAGAIN only when the counter is saturated: the fd is readable anyway
    }
    return seq;
  }

  uint64_t acked() const { return acked_.load(); }

  // Every acknowledgement up to `seq` is in the positions file.
  void MarkDurable(uint64_t seq) {
    uint64_t cur = durable_.load();
    while (cur < seq && !durable_.compare_exchange_weak(cur, seq)) {
    }
  }

  uint64_t durable() const { return durable_.load(); }

  // Readable after Acked(); -1 if eventfd is unavailable (the tailing thread then finds
  // acknowledgements on its next iteration).
  int wake_fd() const { return fd_; }

  void ClearWake() {
    uint64_t v = 0;
    if (fd_ >= 0) {
      ssize_t n = ::read(fd_, &v, sizeof(v));
      (void)n;
    }
  }

 private:
  int fd_;
  std::atomic<uint64_t> acked_{0};
  std::atomic<uint64_t> durable_{0};
};

}  // namespace sluice::agent
