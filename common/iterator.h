// The one iterator contract for scanning log data (house style #3), whether entries live in a
// head block, a chunk, or several streams merged in time order.
//
//   std::unique_ptr<EntryIterator> it = ...;
//   while (it->Next()) {
//     const Entry& e = it->At();        // views valid until the next Next()
//     Use(it->StreamLabels(), e.timestamp_ns, e.line);
//   }
//   if (!it->status().ok()) ...;         // Next() returned false: end of data or an error
//
// Direction is fixed at construction. Iterators are single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/labels.h"
#include "common/status.h"

namespace sluice {

enum class Direction { kForward, kBackward };

// One log entry as seen through an iterator. The views point into the iterator's buffers.
struct Entry {
  int64_t timestamp_ns = 0;
  std::string_view line;
  std::span<const Label> metadata;  // structured metadata, sorted by name
};

// An owned entry, for head blocks, push batches and tests.
struct OwnedEntry {
  int64_t timestamp_ns = 0;
  std::string line;
  std::vector<Label> metadata;

  Entry view() const { return Entry{timestamp_ns, line, metadata}; }
  friend bool operator==(const OwnedEntry&, const OwnedEntry&) = default;
};

class EntryIterator {
 public:
  virtual ~EntryIterator() = default;

  // Advances to the next entry. Returns false at the end or on error (see status()).
  virtual bool Next() = 0;
  // REQUIRES: the last Next() returned true.
  virtual const Entry& At() const = 0;
  // Labels of the stream At() belongs to. REQUIRES: the last Next() returned true.
  virtual const Labels& StreamLabels() const = 0;
  virtual uint64_t StreamHash() const = 0;
  // OK unless iteration stopped because of an error (corrupt block, I/O failure).
  virtual Status status() const = 0;
};

// One sample of a metric series (logql range aggregations produce these).
struct Sample {
  int64_t timestamp_ns = 0;
  double value = 0;
};

class SampleIterator {
 public:
  virtual ~SampleIterator() = default;
  virtual bool Next() = 0;
  virtual const Sample& At() const = 0;
  virtual const Labels& SeriesLabels() const = 0;
  virtual uint64_t SeriesHash() const = 0;
  virtual Status status() const = 0;
};

// ---- Wrappers and simple implementations (common/iterator.cc) ----

// Iterates an in-memory stream. Entries must already be in `direction` order.
std::unique_ptr<EntryIterator> NewVectorEntryIterator(Labels labels, std::vector<OwnedEntry> entries,
                                                      Direction direction);

// Merges iterators that are each in `direction` order into one in that order. Ties on
// timestamp are broken by stream labels, then by input order, so output is deterministic.
// An error from any input stops the merge and is reported by status().
std::unique_ptr<EntryIterator> NewMergingEntryIterator(
    std::vector<std::unique_ptr<EntryIterator>> inputs, Direction direction);

// Passes through entries with start_ns <= ts < end_ns. Stops early once the input has moved
// past the range (inputs are time ordered).
std::unique_ptr<EntryIterator> NewTimeRangeEntryIterator(std::unique_ptr<EntryIterator> input,
                                                         int64_t start_ns, int64_t end_ns,
                                                         Direction direction);

// An iterator with no entries whose status() is `status` (OK for a plain empty iterator).
std::unique_ptr<EntryIterator> NewEmptyEntryIterator(Status status = Status::Ok());

}  // namespace sluice
