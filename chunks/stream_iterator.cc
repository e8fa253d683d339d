#include "chunks/stream_iterator.h"

#include <algorithm>

#include "chunks/chunk.h"
#include "chunks/object_store.h"
#include "chunks/scan_executor.h"

namespace sluice::chunks {

namespace {

// Groups of sources read ahead of the one being consumed (after the first group is done, so
// queries that stop early cost nothing extra).
constexpr size_t kReadAheadGroups = 3;

std::unique_ptr<EntryIterator> OpenGroup(std::vector<IteratorSource> group, Direction direction) {
  std::vector<std::unique_ptr<EntryIterator>> inputs;
  inputs.reserve(group.size());
  for (IteratorSource& s : group) {
    inputs.push_back(s.iterator ? std::move(s.iterator) : s.open());
  }
  if (inputs.size() == 1) {
    return std::move(inputs.front());
  }
  return NewMergingEntryIterator(std::move(inputs), direction);
}

// Walks groups of sources in order; each group is merged when reached. Groups further on that
// hold chunks are decoded ahead on the scan workers (chunks/scan_executor.h).
class GroupedIterator final : public EntryIterator {
 public:
  GroupedIterator(std::vector<std::vector<IteratorSource>> groups, Direction direction)
      : groups_(std::move(groups)), ahead_(groups_.size()), direction_(direction) {}

  ~GroupedIterator() override {
    for (auto& task : ahead_) {
      if (task) {
        task->Cancel();
      }
    }
  }

  bool Next() override {
    while (true) {
      if (current_ && current_->Next()) {
        return true;
      }
      if (current_ && !current_->status().ok()) {
        status_ = current_->status();
        return false;
      }
      if (next_group_ >= groups_.size()) {
        return false;
      }
      size_t g = next_group_++;
      if (g > 0) {
        ReadAhead(g + 1);
      }
      if (ahead_[g]) {
        size_t end = std::min(ahead_.size(), g + 1 + kReadAheadGroups);
        current_ = ahead_[g]->Take(std::span(ahead_).subspan(g + 1, end - g - 1));
        ahead_[g].reset();
      } else {
        current_ = OpenGroup(std::move(groups_[g]), direction_);
      }
      groups_[g].clear();
    }
  }

  const Entry& At() const override { return current_->At(); }

  const Labels& StreamLabels() const override { return current_->StreamLabels(); }

  uint64_t StreamHash() const override { return current_->StreamHash(); }

  Status status() const override { return status_; }

 private:
  void ReadAhead(size_t from) {
    size_t end = std::min(groups_.size(), from + kReadAheadGroups);
    for (size_t k = from; k < end; ++k) {
      bool has_chunk = std::any_of(groups_[k].begin(), groups_[k].end(),
                                   [](const IteratorSource& s) { return !s.iterator; });
      if (ahead_[k] || !has_chunk) {
        continue;
      }
      if (!ReadAheadTask::ReserveSlot()) {
        return;
      }
      auto group = std::make_shared<std::vector<IteratorSource>>(std::move(groups_[k]));
      Direction d = direction_;
      ahead_[k] =
          ReadAheadTask::Start([group, d] { return Materialize(OpenGroup(std::move(*group), d)); });
    }
  }

  std::vector<std::vector<IteratorSource>> groups_;
  std::vector<std::shared_ptr<ReadAheadTask>> ahead_;  // by group; null: read when reached
  Direction direction_;
  size_t next_group_ = 0;
  std::unique_ptr<EntryIterator> current_;
  Status status_;
};

class LazyChunkIterator final : public EntryIterator {
 public:
  LazyChunkIterator(ObjectStore* store, std::string key, int64_t start, int64_t end, Direction d,
                    LineFilterFn filter)
      : store_(store),
        key_(std::move(key)),
        start_(start),
        end_(end),
        direction_(d),
        filter_(std::move(filter)) {}

  bool Next() override {
    if (!inner_) {
      Result<std::string> bytes = store_->Get(key_);
      if (!bytes.ok()) {
        inner_ = NewEmptyEntryIterator(bytes.status().WithPrefix(key_));
      } else if (auto chunk = Chunk::Parse(std::move(*bytes)); !chunk.ok()) {
        inner_ = NewEmptyEntryIterator(chunk.status().WithPrefix(key_));
      } else {
        inner_ = NewChunkIterator(std::move(*chunk), start_, end_, direction_, filter_);
      }
    }
    return inner_->Next();
  }

  const Entry& At() const override { return inner_->At(); }

  const Labels& StreamLabels() const override { return inner_->StreamLabels(); }

  uint64_t StreamHash() const override { return inner_->StreamHash(); }

  Status status() const override {
    if (!inner_) {
      return Status::Ok();
    }
    Status st = inner_->status();
    return st.ok() ? st : st.WithPrefix(key_);
  }

 private:
  ObjectStore* store_;
  std::string key_;
  int64_t start_, end_;
  Direction direction_;
  LineFilterFn filter_;
  std::unique_ptr<EntryIterator> inner_;
};

class LineFilterIterator final : public EntryIterator {
 public:
  LineFilterIterator(std::unique_ptr<EntryIterator> input, LineFilterFn filter)
      : input_(std::move(input)), filter_(std::move(filter)) {}

  bool Next() override {
    while (input_->Next()) {
      const Entry& e = input_->At();
      if (!filter_ || filter_(e.line, MetadataView(e.metadata))) {
        return true;
      }
      dropped_.Add(e.line);
    }
    dropped_.Flush();
    return false;
  }

  const Entry& At() const override { return input_->At(); }

  const Labels& StreamLabels() const override { return input_->StreamLabels(); }

  uint64_t StreamHash() const override { return input_->StreamHash(); }

  Status status() const override { return input_->status(); }

 private:
  std::unique_ptr<EntryIterator> input_;
  LineFilterFn filter_;
  DroppedTally dropped_{&filter_};  // after filter_: reports on destruction
};

}  // namespace

std::unique_ptr<EntryIterator> NewSourcesIterator(std::vector<IteratorSource> sources,
                                                  Direction direction) {
  if (sources.empty()) {
    return NewEmptyEntryIterator();
  }
  bool forward = direction == Direction::kForward;
  // Order by where each source starts in iteration order, then sweep into overlapping groups.
  std::stable_sort(sources.begin(), sources.end(),
                   [forward](const IteratorSource& a, const IteratorSource& b) {
                     return forward ? a.min_ts < b.min_ts : a.max_ts > b.max_ts;
                   });
  std::vector<std::vector<IteratorSource>> groups;
  int64_t edge = 0;  // forward: max end of the group; backward: min start
  for (IteratorSource& s : sources) {
    bool joins = !groups.empty() && (forward ? s.min_ts <= edge : s.max_ts >= edge);
    if (!joins) {
      groups.emplace_back();
      edge = forward ? s.max_ts : s.min_ts;
    }
    edge = forward ? std::max(edge, s.max_ts) : std::min(edge, s.min_ts);
    groups.back().push_back(std::move(s));
  }
  return std::make_unique<GroupedIterator>(std::move(groups), direction);
}

std::unique_ptr<EntryIterator> NewLazyChunkIterator(ObjectStore* store, std::string key,
                                                    int64_t start_ns, int64_t end_ns,
                                                    Direction direction, LineFilterFn filter) {
  return std::make_unique<LazyChunkIterator>(store, std::move(key), start_ns, end_ns, direction,
                                             std::move(filter));
}

std::unique_ptr<EntryIterator> NewLineFilterIterator(std::unique_ptr<EntryIterator> input,
                                                     LineFilterFn filter) {
  return std::make_unique<LineFilterIterator>(std::move(input), std::move(filter));
}

}  // namespace sluice::chunks
