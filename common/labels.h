// Labels: a stream's identity, a sorted set of name="value" pairs, and its fingerprint.
//   Labels ls = Labels::FromPairs({{"job", "api"}, {"env", "prod"}});  // sorted, empty values dropped
//   ls.ToString() == R"({env="prod", job="api"})";  // Loki's rendering
//   uint64_t fp = ls.Hash();                          // stable across runs and machines
// Thread-safety: a const Labels may be read from many threads.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sluice {

struct Label {
  std::string name;
  std::string value;

  friend bool operator==(const Label&, const Label&) = default;
  friend auto operator<=>(const Label&, const Label&) = default;
};

class Labels {
 public:
  Labels() = default;
  // Sorts by name, drops pairs with an empty value, and keeps the last value of a repeated name.
  explicit Labels(std::vector<Label> pairs);
  static Labels FromPairs(std::initializer_list<std::pair<std::string_view, std::string_view>> p);

  const std::vector<Label>& pairs() const { return pairs_; }
  size_t size() const { return pairs_.size(); }
  bool empty() const { return pairs_.empty(); }
  auto begin() const { return pairs_.begin(); }
  auto end() const { return pairs_.end(); }

  // Value of `name`, or "" when absent (Loki treats absent and empty alike).
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;

  // Returns a copy with `name` set to `value` (removed when value is empty).
  Labels With(std::string_view name, std::string_view value) const;
  Labels Without(std::string_view name) const;

  // 64-bit XXH3 over the sorted pairs; the stream fingerprint used by chunks/ and index/.
  uint64_t Hash() const;

  // Loki/Prometheus text form: {a="x", b="y\"z"} (values Go-quoted). "{}" when empty.
  std::string ToString() const;

  friend bool operator==(const Labels&, const Labels&) = default;
  friend auto operator<=>(const Labels& a, const Labels& b) { return a.pairs_ <=> b.pairs_; }

 private:
  std::vector<Label> pairs_;  // sorted by name, names unique, values non-empty
};

// Appends `s` to `out` as a Go %q quoted string (what Loki uses in label strings).
void AppendQuoted(std::string_view s, std::string* out);

// True if `name` matches [a-zA-Z_][a-zA-Z0-9_]* (Prometheus / Loki label name rule).
bool IsValidLabelName(std::string_view name);

// Parses a Loki/Prometheus label string `{a="x", b="y"}` (used by push's "stream" label
// strings in protobuf bodies). Errors name the offending position.
Result<Labels> ParseLabelString(std::string_view text);

}  // namespace sluice
