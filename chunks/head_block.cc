#include "chunks/head_block.h"

#include <algorithm>
#include <numeric>

#include "chunks/block.h"
#include "common/coding.h"

namespace sluice::chunks {

void HeadBlock::Append(const Entry& e) {
  // Encoded straight into the arena: no temporary per entry.
  size_t off = arena_.size();
  arena_.append(e.line);
  if (!e.metadata.empty()) {
    EncodeMetadata(e.metadata, &arena_);
  }
  AddRec(e.timestamp_ns, off, e.line.size(), arena_.size() - off - e.line.size());
}

void HeadBlock::AppendEncoded(int64_t ts, std::string_view line, std::string_view metadata) {
  // An empty metadata section is stored as nothing (md_len 0), not as a zero count.
  if (metadata.size() == 1 && metadata[0] == '\0') {
    metadata = {};
  }
  size_t off = arena_.size();
  arena_.append(line);
  arena_.append(metadata);
  AddRec(ts, off, line.size(), metadata.size());
}

void HeadBlock::AddRec(int64_t ts, size_t off, size_t line_len, size_t md_len) {
  if (recs_.empty()) {
    min_ts_ = max_ts_ = ts;
  } else {
    if (ts < recs_.back().ts) {
      sorted_ = false;
    }
    min_ts_ = std::min(min_ts_, ts);
    max_ts_ = std::max(max_ts_, ts);
  }
  recs_.push_back(Rec{ts, static_cast<uint32_t>(off), static_cast<uint32_t>(line_len),
                      static_cast<uint32_t>(md_len)});
}

std::vector<uint32_t> HeadBlock::SortedOrder() const {
  std::vector<uint32_t> order(recs_.size());
  std::iota(order.begin(), order.end(), 0u);
  if (!sorted_) {
    std::stable_sort(order.begin(), order.end(),
                     [this](uint32_t a, uint32_t b) { return recs_[a].ts < recs_[b].ts; });
  }
  return order;
}

void HeadBlock::BuildChunk(ChunkBuilder* builder) const {
  for (uint32_t i : SortedOrder()) {
    const Rec& r = recs_[i];
    std::string_view bytes(arena_.data() + r.off, r.line_len + r.md_len);
    builder->Add(r.ts, bytes.substr(0, r.line_len), bytes.substr(r.line_len));
  }
}

namespace {

// `md`: an entry's metadata bytes in the arena, EncodeMetadata's form (empty: none).
MetadataView StoredMetadata(std::string_view md) {
  uint32_t n = 0;
  if (md.empty() || !GetVarint32(&md, &n))
    return MetadataView();
  return MetadataView(md, n);
}

// Owns a compact copy of the selected entries.
class HeadIterator final : public EntryIterator {
 public:
  struct Item {
    int64_t ts;
    uint32_t off, line_len, md_len;
  };

  HeadIterator(std::shared_ptr<const Labels> labels, uint64_t fp, std::string arena,
               std::vector<Item> items)
      : labels_(std::move(labels)), fp_(fp), arena_(std::move(arena)), items_(std::move(items)) {}

  bool Next() override {
    if (next_ >= items_.size()) {
      return false;
    }
    const Item& it = items_[next_++];
    cur_.timestamp_ns = it.ts;
    cur_.line = std::string_view(arena_.data() + it.off, it.line_len);
    md_.clear();
    if (it.md_len > 0) {
      std::string_view in(arena_.data() + it.off + it.line_len, it.md_len);
      uint32_t n = 0;
      GetVarint32(&in, &n);
      for (uint32_t k = 0; k < n; ++k) {
        std::string_view name, value;
        if (!GetLengthPrefixed(&in, &name) || !GetLengthPrefixed(&in, &value)) {
          break;
        }
        md_.push_back(Label{std::string(name), std::string(value)});
      }
    }
    cur_.metadata = md_;
    return true;
  }

  const Entry& At() const override { return cur_; }

  const Labels& StreamLabels() const override { return *labels_; }

  uint64_t StreamHash() const override { return fp_; }

  Status status() const override { return Status::Ok(); }

 private:
  std::shared_ptr<const Labels> labels_;
  uint64_t fp_;
  std::string arena_;
  std::vector<Item> items_;
  size_t next_ = 0;
  Entry cur_;
  std::vector<Label> md_;
};

}  // namespace

std::unique_ptr<EntryIterator> HeadBlock::NewIterator(std::shared_ptr<const Labels> labels,
                                                      uint64_t fp, int64_t start_ns, int64_t end_ns,
                                                      Direction direction,
                                                      const LineFilterFn& filter) const {
  std::string arena;
  std::vector<HeadIterator::Item> items;
  DroppedTally dropped(&filter);  // reports once, on return
  if (!recs_.empty() && max_ts_ >= start_ns && min_ts_ < end_ns) {
    for (uint32_t i : SortedOrder()) {
      const Rec& r = recs_[i];
      if (r.ts < start_ns || r.ts >= end_ns) {
        continue;
      }
      const std::string_view line(arena_.data() + r.off, r.line_len);
      if (filter && !filter(line, StoredMetadata(std::string_view(
                                      arena_.data() + r.off + r.line_len, r.md_len)))) {
        dropped.Add(line);
        continue;
      }
      items.push_back(
          HeadIterator::Item{r.ts, static_cast<uint32_t>(arena.size()), r.line_len, r.md_len});
      arena.append(arena_, r.off, r.line_len + r.md_len);
    }
  }
  if (direction == Direction::kBackward) {
    std::reverse(items.begin(), items.end());
  }
  return std::make_unique<HeadIterator>(std::move(labels), fp, std::move(arena), std::move(items));
}

}  // namespace sluice::chunks
