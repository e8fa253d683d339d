// StreamValidator: Loki's distributor checks and enrichment for one decoded stream, against a
// tenant's Limits at a fixed "now": label normalisation (sort, drop empty values), service_name
// discovery, label checks (count, lengths, duplicates), line truncation, per-entry checks (too
// old, too new, line size, structured metadata size / count) and metadata clean-up and
// detected_level. Messages are Loki's (reference loki-http-api.md §2.6).
// GroupedErrors renders many messages as Loki's util.GroupedErrors does.
// Thread-safety: a StreamValidator is used by one request at a time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "ingest/limits.h"
#include "ingest/raw_push.h"

namespace sluice::ingest {

inline constexpr std::string_view kServiceNameLabel = "service_name";
inline constexpr std::string_view kUnknownService = "unknown_service";

// Collects validation messages; Text() groups equal ones: "msg" alone when there is one, else
// "<n> errors like: msg1; <m> errors like: msg2" in first-seen order.
class GroupedErrors {
 public:
  void Add(std::string message);

  bool empty() const { return messages_.empty(); }

  std::string Text() const;

 private:
  std::vector<std::pair<std::string, int>> messages_;
};

// Normalises raw label pairs (sorted by name, empty values dropped) but keeps repeated names
// next to each other, and adds service_name from Loki's candidate labels when `discover` is
// set and none is present. Returns whether service_name was added.
bool NormalizeLabels(std::vector<Label>* pairs, bool discover_service_name);

class StreamValidator {
 public:
  StreamValidator(const Limits& limits, int64_t now_ns) : limits_(limits), now_ns_(now_ns) {}

  // Validates and enriches `raw` (consumed). On success fills *labels and moves the valid
  // entries to *entries (may be empty when all failed) and adds their size before enrichment
  // (line + metadata bytes, what Loki rate-limits) to *bytes. Returns false when the stream's
  // labels reject the whole stream. Every problem is added to *errors.
  bool Process(RawStream* raw, Labels* labels, std::vector<OwnedEntry>* entries, int64_t* bytes,
               GroupedErrors* errors) const;

 private:
  // Loki's ValidateEntry; "" when valid. `stream` is the labels' Loki rendering.
  std::string CheckEntry(const OwnedEntry& e, const std::string& stream) const;
  void CleanMetadata(std::vector<Label>* metadata) const;

  const Limits& limits_;
  int64_t now_ns_;
};

}  // namespace sluice::ingest
