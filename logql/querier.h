// logql::Querier: how the LogQL engine reaches stored entries (house style #4). server/
// implements it over chunks/ + index/; tests implement it over in-memory iterators. logql/
// knows no storage module.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/matcher.h"
#include "common/result.h"

namespace sluice::logql {

// A predicate on raw log lines that storage may apply while blocks decode (pushdown of the
// line filters that precede the first parser). Thread-safe; shared by the plan and storage.
class LineFilter {
 public:
  virtual ~LineFilter() = default;
  virtual bool Matches(std::string_view line) const = 0;
};

// A stricter line predicate for the "bare" entries of one stream: those whose structured
// metadata (if any) holds no label the predicate depends on. It is the pipeline's parser guard
// (logql/log/parser_guard.h) decided per stream, where the stream labels are known.
// Thread-safe; shared by the plan and storage.
class BareLineFilter {
 public:
  virtual ~BareLineFilter() = default;
  // The filter for the bare entries of the stream labelled `stream` (it includes `line_filter`:
  // what it accepts, line_filter accepts), or null when there is nothing stricter than
  // `line_filter` for this stream.
  virtual std::shared_ptr<const LineFilter> ForStream(const Labels& stream) const = 0;
  // True when a structured-metadata label named `name` may stand in for a label the filter
  // requires: an entry holding one is not bare. Ingest gives most entries metadata
  // (detected_level), so this is what lets the filter apply to them.
  virtual bool MetadataMatters(std::string_view name) const = 0;
};

// Lines (and their line bytes) that storage read for one SelectLogs call but did not return
// because line_filter or bare_line_filter rejected them. The engine adds them to the query's
// statistics, which count every line scanned, as they would without pushdown. Storage adds
// from any thread (read-ahead workers), once per block; the engine reads the totals once the
// iterator is exhausted or destroyed.
class DroppedLines {
 public:
  void Add(int64_t lines, int64_t bytes) {
    lines_.fetch_add(lines, std::memory_order_relaxed);
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }

  int64_t lines() const { return lines_.load(std::memory_order_relaxed); }

  int64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> lines_{0};
  std::atomic<int64_t> bytes_{0};
};

struct SelectLogsParams {
  std::string tenant;
  Matchers matchers;     // the stream selector; never empty
  int64_t start_ns = 0;  // inclusive
  int64_t end_ns = 0;    // exclusive
  Direction direction = Direction::kBackward;
  // May be null. When set, storage may drop lines for which it returns false (it may also
  // return them: the engine applies the full pipeline again).
  std::shared_ptr<const LineFilter> line_filter;
  // May be null. When set, storage may drop an entry none of whose structured-metadata names
  // `bare_line_filter->MetadataMatters` whose line `bare_line_filter->ForStream(labels)` rejects
  // (again, the engine re-checks what it returns).
  std::shared_ptr<const BareLineFilter> bare_line_filter;
  // May be null. When set, storage adds every entry of the selected range that it drops
  // (for either filter above) and does not return.
  std::shared_ptr<DroppedLines> dropped;
};

class Querier {
 public:
  virtual ~Querier() = default;
  // Entries of every stream of `tenant` matching the selector with start <= ts < end, merged
  // in `direction` order across streams. Errors surface via the iterator's status().
  virtual Result<std::unique_ptr<EntryIterator>> SelectLogs(const SelectLogsParams& params) = 0;
};

}  // namespace sluice::logql
