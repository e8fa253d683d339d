#include "common/iterator.h"

#include <algorithm>
#include <queue>

namespace sluice {

namespace {

class VectorEntryIterator final : public EntryIterator {
 public:
  VectorEntryIterator(Labels labels, std::vector<OwnedEntry> entries)
      : labels_(std::move(labels)), hash_(labels_.Hash()), entries_(std::move(entries)) {}

  bool Next() override {
    if (next_ >= entries_.size()) return false;
    cur_ = entries_[next_++].view();
    return true;
  }
  const Entry& At() const override { return cur_; }
  const Labels& StreamLabels() const override { return labels_; }
  uint64_t StreamHash() const override { return hash_; }
  Status status() const override { return Status::Ok(); }

 private:
  Labels labels_;
  uint64_t hash_;
  std::vector<OwnedEntry> entries_;
  size_t next_ = 0;
  Entry cur_;
};

class MergingEntryIterator final : public EntryIterator {
 public:
  MergingEntryIterator(std::vector<std::unique_ptr<EntryIterator>> inputs, Direction direction)
      : inputs_(std::move(inputs)), forward_(direction == Direction::kForward) {}

  bool Next() override {
    if (!status_.ok()) return false;
    if (!primed_) {
      primed_ = true;
      for (size_t i = 0; i < inputs_.size(); ++i) Advance(i);
    } else if (current_ != kNone) {
      Advance(current_);
    }
    if (!status_.ok() || heap_.empty()) {
      current_ = kNone;
      return false;
    }
    std::pop_heap(heap_.begin(), heap_.end(), Cmp{this});
    current_ = heap_.back();
    heap_.pop_back();
    return true;
  }
  const Entry& At() const override { return inputs_[current_]->At(); }
  const Labels& StreamLabels() const override { return inputs_[current_]->StreamLabels(); }
  uint64_t StreamHash() const override { return inputs_[current_]->StreamHash(); }
  Status status() const override { return status_; }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // Heap order: "greater" means comes later, so the heap top is the next entry to emit.
  struct Cmp {
    const MergingEntryIterator* self;
    bool operator()(size_t a, size_t b) const { return self->Before(b, a); }
  };

  bool Before(size_t a, size_t b) const {
    int64_t ta = inputs_[a]->At().timestamp_ns, tb = inputs_[b]->At().timestamp_ns;
    if (ta != tb) return forward_ ? ta < tb : ta > tb;
    const Labels& la = inputs_[a]->StreamLabels();
    const Labels& lb = inputs_[b]->StreamLabels();
    if (la != lb) return la < lb;
    return a < b;
  }

  void Advance(size_t i) {
    if (inputs_[i]->Next()) {
      heap_.push_back(i);
      std::push_heap(heap_.begin(), heap_.end(), Cmp{this});
    } else if (Status st = inputs_[i]->status(); !st.ok()) {
      status_ = st;
    }
  }

  std::vector<std::unique_ptr<EntryIterator>> inputs_;
  bool forward_;
  bool primed_ = false;
  std::vector<size_t> heap_;
  size_t current_ = kNone;
  Status status_;
};

class TimeRangeEntryIterator final : public EntryIterator {
 public:
  TimeRangeEntryIterator(std::unique_ptr<EntryIterator> input, int64_t start, int64_t end,
                         Direction direction)
      : input_(std::move(input)), start_(start), end_(end),
        forward_(direction == Direction::kForward) {}

  bool Next() override {
    while (!done_ && input_->Next()) {
      int64_t ts = input_->At().timestamp_ns;
      if (forward_ ? ts >= end_ : ts < start_) break;  // past the range: stop reading
      if (ts >= start_ && ts < end_) return true;
    }
    done_ = true;
    return false;
  }
  const Entry& At() const override { return input_->At(); }
  const Labels& StreamLabels() const override { return input_->StreamLabels(); }
  uint64_t StreamHash() const override { return input_->StreamHash(); }
  Status status() const override { return input_->status(); }

 private:
  std::unique_ptr<EntryIterator> input_;
  int64_t start_, end_;
  bool forward_;
  bool done_ = false;
};

class EmptyEntryIterator final : public EntryIterator {
 public:
  explicit EmptyEntryIterator(Status st) : status_(std::move(st)) {}
  bool Next() override { return false; }
  const Entry& At() const override { return entry_; }
  const Labels& StreamLabels() const override { return labels_; }
  uint64_t StreamHash() const override { return 0; }
  Status status() const override { return status_; }

 private:
  Status status_;
  Entry entry_;
  Labels labels_;
};

}  // namespace

std::unique_ptr<EntryIterator> NewVectorEntryIterator(Labels labels, std::vector<OwnedEntry> entries,
                                                      Direction direction) {
  (void)direction;  // entries are given in iteration order already
  return std::make_unique<VectorEntryIterator>(std::move(labels), std::move(entries));
}

std::unique_ptr<EntryIterator> NewMergingEntryIterator(
    std::vector<std::unique_ptr<EntryIterator>> inputs, Direction direction) {
  if (inputs.size() == 1) return std::move(inputs[0]);
  return std::make_unique<MergingEntryIterator>(std::move(inputs), direction);
}

std::unique_ptr<EntryIterator> NewTimeRangeEntryIterator(std::unique_ptr<EntryIterator> input,
                                                         int64_t start_ns, int64_t end_ns,
                                                         Direction direction) {
  return std::make_unique<TimeRangeEntryIterator>(std::move(input), start_ns, end_ns, direction);
}

std::unique_ptr<EntryIterator> NewEmptyEntryIterator(Status status) {
  return std::make_unique<EmptyEntryIterator>(std::move(status));
}

}  // namespace sluice
