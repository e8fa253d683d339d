// LineFilterFn: a predicate on log lines that readers push down into decoding, so entries whose
// line it rejects are skipped before any merge or copy. It also sees the names of the entry's
// structured metadata (MetadataView, read from the stored bytes without building Labels): a
// filter may only be sure of its answer for entries whose metadata cannot matter to it (see
// logql::SelectLogsParams::bare_line_filter). Stream iterators decode chunks ahead on worker
// threads (chunks/scan_executor.h), so it may be called from several threads at once and must
// be thread-safe. A null (empty) function accepts every line.
//
// Readers also tell the filter what it rejected (lines and line bytes), so that a query's
// statistics can count every line scanned as if nothing had been pushed down. A reader counts
// locally and reports once per block (and once per head snapshot), never per line; reports
// come from any thread, and all of a reader's have been made once it is exhausted or destroyed.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

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

class LineFilterFn {
 public:
  using Predicate = std::function<bool(std::string_view line, const MetadataView& metadata)>;
  // Receives (lines, line bytes) rejected since the reader's last report.
  using DroppedSink = std::function<void(int64_t lines, int64_t bytes)>;

  LineFilterFn() = default;

  LineFilterFn(Predicate accepts, DroppedSink dropped)
      : accepts_(std::move(accepts)), dropped_(std::move(dropped)) {}

  // From any callable with Predicate's signature (no report of what it drops).
  template <typename F>

  requires(!std::is_same_v<std::remove_cvref_t<F>, LineFilterFn> &&
           std::is_constructible_v<Predicate, F>)
      LineFilterFn(F&& accepts)  // NOLINT(google-explicit-constructor): lambdas convert
      : accepts_(std::forward<F>(accepts)) {}

  // False for the null filter.
  explicit operator bool() const { return static_cast<bool>(accepts_); }

  // REQUIRES: not null.
  bool operator()(std::string_view line, const MetadataView& metadata) const {
    return accepts_(line, metadata);
  }

  // Reports rejected lines (skipped when there are none or nobody listens).
  void ReportDropped(int64_t lines, int64_t bytes) const {
    if (lines > 0 && dropped_)
      dropped_(lines, bytes);
  }

 private:
  Predicate accepts_;
  DroppedSink dropped_;
};

// A reader's count of what its filter rejected, reported by Flush (and on destruction).
class DroppedTally {
 public:
  explicit DroppedTally(const LineFilterFn* filter) : filter_(filter) {}

  DroppedTally(const DroppedTally&) = delete;
  DroppedTally& operator=(const DroppedTally&) = delete;

  ~DroppedTally() { Flush(); }

  void Add(std::string_view line) {
    ++lines_;
    bytes_ += static_cast<int64_t>(line.size());
  }

  void Flush() {
    filter_->ReportDropped(lines_, bytes_);
    lines_ = bytes_ = 0;
  }

 private:
  const LineFilterFn* filter_;
  int64_t lines_ = 0, bytes_ = 0;
};

}  // namespace sluice::chunks
