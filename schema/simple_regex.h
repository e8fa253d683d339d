// A fast path for the `pattern`s most log schemas use: ASCII literals and ASCII classes
// ([0-9a-f], \d, \w) with quantifiers (?, *, +, {n}, {n,m}), non-repeated groups with
// alternation, and ^ / $ anchors, e.g. ^[0-9a-fA-F]{16}$ or ^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$.
// Such patterns match no non-ASCII byte, so matching bytes is matching code points, with the
// same result as the ECMA-262 regex. A backtracking matcher with a step budget: when the
// budget runs out the caller falls back to RE2. Anything outside the subset does not compile.
// Thread-safety: immutable after TryCompile; Search is const and reentrant.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace sluice::schema {

class SimpleRegex {
 public:
  // nullptr when `ecma` is outside the subset.
  static std::unique_ptr<SimpleRegex> TryCompile(std::string_view ecma);

  enum class Outcome { kMatch, kNoMatch, kGaveUp };
  // Unanchored search, as JSON Schema's `pattern` specifies (anchors in the pattern apply).
  Outcome Search(std::string_view s) const;

  struct Term {
    uint64_t set[2] = {0, 0};  // ASCII bytes an atom accepts
    uint32_t min = 1, max = 1;
    std::vector<std::vector<Term>> alternatives;  // non-empty: a group (max 1)
    // `set` as at most kMaxRanges byte ranges [lo, hi], for scanning 16 bytes at a time;
    // range_count 0: too many ranges, scan byte by byte.
    static constexpr int kMaxRanges = 4;
    uint8_t range_count = 0;
    uint8_t lo[kMaxRanges] = {}, hi[kMaxRanges] = {};

    bool Has(unsigned char c) const { return c < 128 && (set[c >> 6] >> (c & 63)) & 1; }
  };

  // How many bytes at the start of `p[0, limit)` are in `t.set` (the greedy run of an atom).
  static size_t RunLength(const Term& t, const char* p, size_t limit);

 private:
  struct Cont;
  bool Match(const std::vector<Term>& seq, size_t i, size_t pos, const Cont* k, std::string_view s,
             size_t* steps) const;

  std::vector<Term> seq_;
  bool anchored_start_ = false;
  bool anchored_end_ = false;
};

}  // namespace sluice::schema
