// Iterators over one stream's data spread across head blocks and chunks (the Store's read
// path). Sources whose time ranges overlap are merged; disjoint groups are concatenated, and a
// group's sources are opened only when iteration reaches it, so a long scan holds at most one
// group of decompressed chunks at a time.
// Thread-safety: iterators are single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "chunks/line_filter.h"
#include "common/iterator.h"

namespace sluice::chunks {

class ObjectStore;

// One head or chunk of a stream: its time range (inclusive) and either an iterator over it or
// how to open one (clipped to the query range and in the query's direction).
struct IteratorSource {
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  std::unique_ptr<EntryIterator> iterator;  // used when set
  std::function<std::unique_ptr<EntryIterator>()> open;
};

// Entries of all sources in `direction` order.
std::unique_ptr<EntryIterator> NewSourcesIterator(std::vector<IteratorSource> sources,
                                                  Direction direction);

// Fetches chunk `key` from `store` on the first Next() and iterates it. A missing or corrupt
// chunk stops with an error status(). `store` is borrowed.
std::unique_ptr<EntryIterator> NewLazyChunkIterator(ObjectStore* store, std::string key,
                                                    int64_t start_ns, int64_t end_ns,
                                                    Direction direction, LineFilterFn filter = {});

// Passes through the entries of `input` whose line `filter` accepts.
std::unique_ptr<EntryIterator> NewLineFilterIterator(std::unique_ptr<EntryIterator> input,
                                                     LineFilterFn filter);

}  // namespace sluice::chunks
