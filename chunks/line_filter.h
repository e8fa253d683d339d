// LineFilterFn: a predicate on log lines that readers push down into decoding, so entries whose
// line it rejects are skipped before any merge or copy. It also sees the names of the entry's
// structured metadata (MetadataView, read from the stored bytes without building Labels): a
// filter may only be sure of its answer for entries whose metadata cannot matter to it (see
// logql::SelectLogsParams::bare_line_filter). Stream iterators decode chunks ahead on worker
// threads (chunks/scan_executor.h), so it may be called from several threads at once and must
// be thread-safe. A null (empty) function accepts every line.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "common/coding.h"
#include "common/labels.h"

namespace sluice::chunks {

// The structured metadata of one entry, as stored (`count` pairs of length-prefixed name and
// value, EncodeMetadata's form after the count) or as decoded Labels. Views only.
class MetadataView {
 public:
  MetadataView() = default;

  // REQUIRES: `pairs` holds `count` well-formed pairs (validated by the decoder).
  MetadataView(std::string_view pairs, uint32_t count) : pairs_(pairs), count_(count) {}

  explicit MetadataView(std::span<const Label> labels)
      : labels_(labels), count_(static_cast<uint32_t>(labels.size())) {}

  bool empty() const { return count_ == 0; }

  // True if `pred(name)` holds for the name of some pair.
  template <typename Pred>
  bool AnyName(const Pred& pred) const {
    if (!labels_.empty()) {
      for (const Label& l : labels_) {
        if (pred(std::string_view(l.name)))
          return true;
      }
      return false;
    }
    std::string_view in = pairs_;
    for (uint32_t k = 0; k < count_; ++k) {
      std::string_view name, value;
      if (!GetLengthPrefixed(&in, &name) || !GetLengthPrefixed(&in, &value))
        return true;  // unreadable: assume it matters
      if (pred(name))
        return true;
    }
    return false;
  }

 private:
  std::string_view pairs_;
  std::span<const Label> labels_;
  uint32_t count_ = 0;
};

using LineFilterFn = std::function<bool(std::string_view line, const MetadataView& metadata)>;

}  // namespace sluice::chunks
