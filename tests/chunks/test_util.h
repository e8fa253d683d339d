// Helpers shared by the chunks tests: deterministic entries and draining iterators.
#pragma once

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "common/iterator.h"

namespace sluice {
// Readable gtest output for entries.
inline void PrintTo(const OwnedEntry& e, std::ostream* os) {
  *os << "{" << e.timestamp_ns << ", \"" << e.line << "\"";
  for (const Label& l : e.metadata) {
    *os << ", " << l.name << "=" << l.value;
  }
  *os << "}";
}
}  // namespace sluice

namespace sluice::chunks::testing {

// `n` entries with increasing timestamps from `start` by `step`, lines of varying length, and
// structured metadata on every third entry.
inline std::vector<OwnedEntry> MakeEntries(size_t n, int64_t start = 1000, int64_t step = 10,
                                           uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::vector<OwnedEntry> out;
  for (size_t i = 0; i < n; ++i) {
    OwnedEntry e;
    e.timestamp_ns = start + static_cast<int64_t>(i) * step;
    e.line = "line " + std::to_string(i) + " level=info msg=" + std::string(rng() % 40, 'x') +
             " id=" + std::to_string(rng());
    if (i % 3 == 0) {
      e.metadata = {{"trace_id", std::to_string(rng())}, {"user", "u" + std::to_string(i)}};
    }
    out.push_back(std::move(e));
  }
  return out;
}

// Drains an iterator into owned entries; the status is returned through `status`.
inline std::vector<OwnedEntry> Drain(EntryIterator* it, Status* status = nullptr) {
  std::vector<OwnedEntry> out;
  while (it->Next()) {
    const Entry& e = it->At();
    out.push_back(OwnedEntry{e.timestamp_ns, std::string(e.line),
                             std::vector<Label>(e.metadata.begin(), e.metadata.end())});
  }
  if (status != nullptr) {
    *status = it->status();
  }
  return out;
}

// Entries of `all` with start <= ts < end, stable-sorted by time, reversed for backward.
inline std::vector<OwnedEntry> Expected(std::vector<OwnedEntry> all, int64_t start, int64_t end,
                                        Direction dir) {
  std::vector<OwnedEntry> out;
  std::stable_sort(all.begin(), all.end(), [](const OwnedEntry& a, const OwnedEntry& b) {
    return a.timestamp_ns < b.timestamp_ns;
  });
  for (auto& e : all) {
    if (e.timestamp_ns >= start && e.timestamp_ns < end) {
      out.push_back(std::move(e));
    }
  }
  if (dir == Direction::kBackward) {
    std::reverse(out.begin(), out.end());
  }
  return out;
}

}  // namespace sluice::chunks::testing
