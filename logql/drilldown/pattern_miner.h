// PatternMiner: the /loki/api/v1/patterns answer computed on demand from the entries of a
// query range (Loki computes it in a pattern ingester as data arrives; Sluice has none, so it
// mines the stored entries when asked). Entries are clustered with Drain (drain.h), one miner
// per (line format, level): the format is guessed from each stream's first line as Loki's
// ingester does, the level is the entry's `detected_level` structured metadata ("unknown"
// when absent). Counts are bucketed by `step` (timestamps truncated to a multiple of it) and
// only entries in [start, end) count.
//
//   PatternMiner m(PatternMinerOptions{.start_ns = s, .end_ns = e, .step_ns = 10 *
//   kNanosPerSecond}); while (it->Next()) m.Add(it->StreamHash(), it->At()); for (const
//   PatternSeries& p : m.Patterns()) ...   // by total count, descending
//
// Memory: bounded by the Drain limits times the few (format, level) pairs, plus a format guess
// per stream (at most max_streams; later streams are guessed per line).
// Thread-safety: none; one per request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/iterator.h"
#include "logql/drilldown/drain.h"

namespace sluice::logql::drilldown {

struct PatternMinerOptions {
  int64_t start_ns = 0;  // inclusive
  int64_t end_ns = 0;    // exclusive
  int64_t step_ns = 10LL * 1'000'000'000;
  DrainOptions drain;  // sample_interval_ns is set to step_ns
  size_t max_streams = 100000;
};

struct PatternSeries {
  std::string pattern;
  std::string level;
  int64_t total = 0;
  std::vector<std::pair<int64_t, int64_t>> samples;  // (bucket start ns, count), ascending
};

class PatternMiner {
 public:
  explicit PatternMiner(PatternMinerOptions options);
  ~PatternMiner();

  void Add(uint64_t stream_hash, const Entry& entry);

  // Patterns merged by (pattern, level), by total count descending (ties: pattern, level).
  std::vector<PatternSeries> Patterns() const;

  int64_t lines_added() const { return lines_; }

 private:
  Drain* DrainFor(LineFormat format, std::string_view level);

  PatternMinerOptions options_;
  std::unordered_map<uint64_t, LineFormat> stream_formats_;
  std::map<std::pair<LineFormat, std::string>, std::unique_ptr<Drain>, std::less<>> drains_;
  int64_t lines_ = 0;
};

// The `detected_level` structured metadata of an entry, or "unknown".
std::string_view EntryLevel(const Entry& entry);

}  // namespace sluice::logql::drilldown
