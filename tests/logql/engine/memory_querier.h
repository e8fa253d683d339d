// MemoryQuerier: an in-memory logql::Querier for engine tests and benchmarks, built on
// common/iterator.h (NewVectorEntryIterator per stream + NewMergingEntryIterator), so the
// engine sees exactly the iterator contract storage gives it.
//
//   MemoryQuerier q;
//   q.Add(Labels::FromPairs({{"app", "x"}}), 10 * kSec, "level=info msg=hi");
//   Engine engine(&q, EngineOptions{});
//
// It records every SelectLogs call (params) so tests can check what was pushed down, and counts
// lines the pushed-down line filters (line_filter, bare_line_filter) removed, which it also
// reports to SelectLogsParams::dropped as storage does. Thread-safety: none.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "logql/querier.h"

namespace sluice::logql::test_util {

inline constexpr int64_t kSec = 1'000'000'000;

class MemoryQuerier : public Querier {
 public:
  // Adds one entry; entries of a stream may be added in any order.
  void Add(const Labels& stream, int64_t ts_ns, std::string line, std::vector<Label> metadata = {},
           const std::string& tenant = "fake") {
    streams_[{tenant, stream}].push_back(OwnedEntry{ts_ns, std::move(line), std::move(metadata)});
  }

  Result<std::unique_ptr<EntryIterator>> SelectLogs(const SelectLogsParams& p) override {
    calls.push_back(p);
    std::vector<std::unique_ptr<EntryIterator>> inputs;
    int64_t dropped_lines = 0, dropped_bytes = 0;
    for (const auto& [key, entries] : streams_) {
      if (key.first != p.tenant || !Selects(p.matchers, key.second))
        continue;
      std::vector<OwnedEntry> kept;
      // As server::Storage: the stricter per-stream filter for bare entries.
      std::shared_ptr<const LineFilter> bare =
          p.bare_line_filter != nullptr ? p.bare_line_filter->ForStream(key.second) : nullptr;
      for (const OwnedEntry& e : entries) {
        if (e.timestamp_ns < p.start_ns || e.timestamp_ns >= p.end_ns)
          continue;
        const bool bare_entry =
            bare != nullptr &&
            std::none_of(e.metadata.begin(), e.metadata.end(), [&](const Label& l) {
              return p.bare_line_filter->MetadataMatters(l.name);
            });
        const LineFilter* f = bare_entry ? bare.get() : p.line_filter.get();
        if (f != nullptr && !f->Matches(e.line)) {
          ++lines_filtered_in_storage;
          ++dropped_lines;
          dropped_bytes += static_cast<int64_t>(e.line.size());
          continue;
        }
        kept.push_back(e);
      }
      std::stable_sort(kept.begin(), kept.end(), [&](const OwnedEntry& a, const OwnedEntry& b) {
        return p.direction == Direction::kForward ? a.timestamp_ns < b.timestamp_ns
                                                  : a.timestamp_ns > b.timestamp_ns;
      });
      inputs.push_back(NewVectorEntryIterator(key.second, std::move(kept), p.direction));
    }
    if (p.dropped != nullptr)
      p.dropped->Add(dropped_lines, dropped_bytes);
    return NewMergingEntryIterator(std::move(inputs), p.direction);
  }

  std::vector<SelectLogsParams> calls;
  int64_t lines_filtered_in_storage = 0;

 private:
  static bool Selects(const Matchers& ms, const Labels& l) {
    for (const LabelMatcher& m : ms) {
      if (!m.Matches(l.Get(m.name())))
        return false;
    }
    return true;
  }

  std::map<std::pair<std::string, Labels>, std::vector<OwnedEntry>> streams_;
};

}  // namespace sluice::logql::test_util
