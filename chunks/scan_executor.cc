#include "chunks/scan_executor.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <string>
#include <thread>
#include <vector>

namespace sluice::chunks {

namespace {

// Tasks in existence at once, process-wide: bounds the memory of decoded read-ahead.
constexpr size_t kMaxOutstandingTasks = 16;

std::atomic<size_t> g_outstanding{0};

// Worker threads (one less than the cores, at least one). Never destroyed: detached workers
// wait on the queue for the life of the process.
class Workers {
 public:
  static Workers& Get() {
    static Workers* w = new Workers();
    return *w;
  }

  void Submit(std::weak_ptr<ReadAheadTask> task) {
    {
      std::lock_guard<std::mutex> l(mu_);
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

 private:
  Workers() {
    unsigned cores = std::thread::hardware_concurrency();
    unsigned n = cores > 1 ? cores - 1 : 1;
    for (unsigned i = 0; i < n; ++i) {
      std::thread([this] { Loop(); }).detach();
    }
  }

  void Loop() {
    while (true) {
      std::weak_ptr<ReadAheadTask> next;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return !queue_.empty(); });
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      if (std::shared_ptr<ReadAheadTask> task = next.lock()) {
        task->TryRun();
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::weak_ptr<ReadAheadTask>> queue_;
};

class MaterializedIterator final : public EntryIterator {
 public:
  struct Item {
    int64_t ts;
    size_t line_off, line_len;
    size_t md_begin, md_end;
  };

  explicit MaterializedIterator(std::unique_ptr<EntryIterator> input) {
    while (input->Next()) {
      const Entry& e = input->At();
      if (items_.empty()) {
        labels_ = input->StreamLabels();
        hash_ = input->StreamHash();
      }
      items_.push_back(Item{e.timestamp_ns, arena_.size(), e.line.size(), md_.size(),
                            md_.size() + e.metadata.size()});
      arena_.append(e.line);
      md_.insert(md_.end(), e.metadata.begin(), e.metadata.end());
    }
    status_ = input->status();
  }

  bool Next() override {
    if (next_ >= items_.size()) {
      return false;
    }
    const Item& it = items_[next_++];
    cur_.timestamp_ns = it.ts;
    cur_.line = std::string_view(arena_.data() + it.line_off, it.line_len);
    cur_.metadata = std::span<const Label>(md_.data() + it.md_begin, it.md_end - it.md_begin);
    return true;
  }

  const Entry& At() const override { return cur_; }

  const Labels& StreamLabels() const override { return labels_; }

  uint64_t StreamHash() const override { return hash_; }

  Status status() const override { return next_ >= items_.size() ? status_ : Status::Ok(); }

 private:
  std::string arena_;
  std::vector<Item> items_;
  std::vector<Label> md_;
  Labels labels_;
  uint64_t hash_ = 0;
  Status status_;
  size_t next_ = 0;
  Entry cur_;
};

}  // namespace

bool ReadAheadTask::ReserveSlot() {
  size_t n = g_outstanding.load();
  while (n < kMaxOutstandingTasks) {
    if (g_outstanding.compare_exchange_weak(n, n + 1)) {
      return true;
    }
  }
  return false;
}

std::shared_ptr<ReadAheadTask> ReadAheadTask::Start(Work work) {
  auto task = std::make_shared<ReadAheadTask>(std::move(work));
  Workers::Get().Submit(task);
  return task;
}

ReadAheadTask::~ReadAheadTask() {
  g_outstanding.fetch_sub(1);
}

void ReadAheadTask::Run() {
  std::unique_ptr<EntryIterator> r = work_();
  std::lock_guard<std::mutex> l(mu_);
  result_ = std::move(r);
  work_ = nullptr;
  state_ = State::kDone;
  cv_.notify_all();
}

bool ReadAheadTask::TryRun() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (state_ != State::kPending) {
      return false;
    }
    state_ = State::kRunning;
  }
  Run();
  return true;
}

std::unique_ptr<EntryIterator> ReadAheadTask::Take(
    std::span<const std::shared_ptr<ReadAheadTask>> siblings) {
  while (true) {
    if (TryRun()) {
      continue;
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      if (state_ == State::kDone) {
        return std::move(result_);
      }
    }
    // A worker has it: help with a later task of the same scan rather than idle.
    bool helped = std::any_of(siblings.begin(), siblings.end(), [this](const auto& s) {
      return s != nullptr && s.get() != this && s->TryRun();
    });
    if (!helped) {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [this] { return state_ != State::kRunning; });
    }
  }
}

void ReadAheadTask::Cancel() {
  Work dropped;
  std::unique_lock<std::mutex> l(mu_);
  if (state_ == State::kPending) {
    state_ = State::kCancelled;
    dropped = std::move(work_);
    return;
  }
  cv_.wait(l, [this] { return state_ != State::kRunning; });
  result_.reset();
}

std::unique_ptr<EntryIterator> Materialize(std::unique_ptr<EntryIterator> input) {
  return std::make_unique<MaterializedIterator>(std::move(input));
}

}  // namespace sluice::chunks
