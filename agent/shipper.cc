#include "agent/shipper.h"

#include <cstdio>

#include "agent/batch_sender.h"
#include "common/clock.h"
#include "common/time_util.h"

namespace sluice::agent {

Shipper::Shipper(Options options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Default()) {}

Shipper::~Shipper() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    draining_ = true;
    abort_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void Shipper::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Shipper::ReleaseDurable() const {
  if (unpersisted_.empty())
    return;
  const uint64_t durable = options_.acks->durable();
  while (!unpersisted_.empty() && unpersisted_.front().first <= durable) {
    const size_t bytes = unpersisted_.front().second;
    buffered_ -= bytes;
    if (options_.metrics != nullptr)
      options_.metrics->buffered_bytes->Add({}, -static_cast<double>(bytes));
    unpersisted_.pop_front();
  }
}

bool Shipper::HasRoom() const {
  std::lock_guard<std::mutex> lock(mu_);
  ReleaseDurable();
  return buffered_ < static_cast<size_t>(options_.client.max_buffered_bytes);
}

size_t Shipper::buffered_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  ReleaseDurable();
  return buffered_;
}

bool Shipper::Idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_.empty() && sealed_.empty() && !in_flight_;
}

void Shipper::Push(ShipEntry entry) {
  for (const auto& [k, v] : options_.client.external_labels) {
    if (!entry.labels.Has(k))
      entry.labels = entry.labels.With(k, v);
  }
  const size_t bytes = entry.Bytes();
  {
    std::lock_guard<std::mutex> lock(mu_);
    Batch& batch = open_[entry.tenant];
    if (!batch.entries.empty() &&
        batch.bytes + bytes > static_cast<size_t>(options_.client.batchsize_bytes)) {
      sealed_.push_back(std::move(batch));
      batch = Batch();
    }
    if (batch.entries.empty()) {
      batch.tenant = entry.tenant;
      batch.created_mono_ns = clock_->MonotonicNanos();
    }
    batch.Add(std::move(entry));
    buffered_ += bytes;
    if (options_.metrics != nullptr)
      options_.metrics->buffered_bytes->Add({}, bytes);
  }
  cv_.notify_all();
}

bool Shipper::Sleep(int64_t ns) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::nanoseconds(ns), [&] { return abort_; });
  return !abort_;
}

void Shipper::Print(const Batch& batch) {
  for (const ShipEntry& e : batch.entries) {
    std::string tenant = batch.tenant.empty() ? options_.client.tenant_id : batch.tenant;
    std::printf("%s\t%s\t%s%s%s\n", FormatRFC3339Nano(e.ts_ns).c_str(), e.labels.ToString().c_str(),
                tenant.empty() ? "" : "tenant=", tenant.empty() ? "" : (tenant + "\t").c_str(),
                e.line.c_str());
    e.ack.Ack();
  }
  std::fflush(stdout);
}

void Shipper::Run() {
  BatchSender::Options so;
  so.client = &options_.client;
  so.http = options_.http.get();
  so.metrics = options_.metrics;
  so.clock = clock_;
  so.seed = options_.seed;
  so.sleep = [this](int64_t ns) { return Sleep(ns); };
  BatchSender sender(std::move(so));
  const int64_t wait = options_.client.batchwait_ns;

  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (abort_)
      return;
    // Seal open batches that are old enough (or all of them when draining).
    int64_t now = clock_->MonotonicNanos();
    int64_t next_deadline = INT64_MAX;
    for (auto it = open_.begin(); it != open_.end();) {
      if (draining_ || now - it->second.created_mono_ns >= wait) {
        sealed_.push_back(std::move(it->second));
        it = open_.erase(it);
      } else {
        next_deadline = std::min(next_deadline, it->second.created_mono_ns + wait);
        ++it;
      }
    }
    if (sealed_.empty()) {
      if (draining_)
        return;
      if (next_deadline == INT64_MAX) {
        cv_.wait(lock);
      } else {
        cv_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(next_deadline - now, 1)));
      }
      continue;
    }
    Batch batch = std::move(sealed_.front());
    sealed_.pop_front();
    in_flight_ = true;
    lock.unlock();
    SendOutcome outcome = SendOutcome::kSent;
    if (options_.dry_run) {
      Print(batch);
    } else {
      outcome = sender.Send(batch);
    }
    lock.lock();
    in_flight_ = false;
    if (options_.acks != nullptr && outcome != SendOutcome::kAborted) {
      // Acknowledged (or given up): held until the positions file records it.
      unpersisted_.emplace_back(options_.acks->Acked(), batch.bytes);
      continue;
    }
    buffered_ -= batch.bytes;
    if (options_.metrics != nullptr) {
      options_.metrics->buffered_bytes->Add({}, -static_cast<double>(batch.bytes));
    }
    if (outcome == SendOutcome::kAborted)
      return;
  }
}

void Shipper::Shutdown(int64_t deadline_mono_ns) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    draining_ = true;
  }
  cv_.notify_all();
  if (!thread_.joinable())
    return;
  // Wait for the drain to finish, or abort it at the deadline.
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      bool done = open_.empty() && sealed_.empty() && !in_flight_;
      if (done || clock_->MonotonicNanos() >= deadline_mono_ns) {
        abort_ = true;
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace sluice::agent
