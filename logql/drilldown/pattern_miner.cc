#include "logql/drilldown/pattern_miner.h"

#include <algorithm>

namespace sluice::logql::drilldown {

std::string_view EntryLevel(const Entry& entry) {
  for (const Label& l : entry.metadata) {
    if (l.name == "detected_level" && !l.value.empty())
      return l.value;
  }
  return "unknown";
}

PatternMiner::PatternMiner(PatternMinerOptions options) : options_(std::move(options)) {
  if (options_.step_ns <= 0)
    options_.step_ns = 10LL * 1'000'000'000;
  options_.drain.sample_interval_ns = options_.step_ns;
}

PatternMiner::~PatternMiner() = default;

Drain* PatternMiner::DrainFor(LineFormat format, std::string_view level) {
  auto key = std::make_pair(format, std::string(level));
  auto it = drains_.find(key);
  if (it == drains_.end())
    it = drains_.emplace(key, std::make_unique<Drain>(options_.drain, format)).first;
  return it->second.get();
}

void PatternMiner::Add(uint64_t stream_hash, const Entry& entry) {
  if (entry.timestamp_ns < options_.start_ns || entry.timestamp_ns >= options_.end_ns)
    return;
  LineFormat format;
  auto it = stream_formats_.find(stream_hash);
  if (it != stream_formats_.end()) {
    format = it->second;
  } else {
    format = DetectLogFormat(entry.line);
    if (stream_formats_.size() < options_.max_streams)
      stream_formats_.emplace(stream_hash, format);
  }
  ++lines_;
  DrainFor(format, EntryLevel(entry))->Train(entry.line, entry.timestamp_ns);
}

std::vector<PatternSeries> PatternMiner::Patterns() const {
  // The same template may come from several drains' clusters (or several clusters whose
  // templates converged): merge by (pattern, level).
  std::map<std::pair<std::string, std::string>, std::map<int64_t, int64_t>> merged;
  for (const auto& [key, drain] : drains_) {
    for (const LogCluster* c : drain->Clusters()) {
      auto& buckets = merged[{drain->Pattern(*c), key.second}];
      for (const auto& [bucket, count] : c->samples())
        buckets[bucket] += count;
    }
  }
  std::vector<PatternSeries> out;
  out.reserve(merged.size());
  for (auto& [key, buckets] : merged) {
    if (key.first.empty())
      continue;
    PatternSeries s;
    s.pattern = key.first;
    s.level = key.second;
    for (const auto& [bucket, count] : buckets) {
      s.samples.emplace_back(bucket, count);
      s.total += count;
    }
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [](const PatternSeries& a, const PatternSeries& b) {
    return a.total > b.total;
  });
  return out;
}

}  // namespace sluice::logql::drilldown
