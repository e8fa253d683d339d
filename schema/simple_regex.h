// A fast path for the `pattern`s most log schemas use: ASCII literals and ASCII classes
// ([0-9a-f], \d, \w) with quantifiers (?, *, +, {n}, {n,m}), non-repeated groups with
// alternation, and ^ / $ anchors, e.g. ^[0-9a-fA-F]{16}$ or ^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$.
// Such patterns match no non-ASCII byte, so matching bytes is matching code points, with the
// same result as the ECMA-262 regex. Patterns anchored at both ends whose every way through
// the groups is a sequence of atoms that never needs backtracking (each atom's count is fixed,
// or forced by the length left, or stops where the next atoms cannot start) match in one
// left-to-right pass (schema/simple_regex_linear.cc); the rest go through a backtracking
// matcher with a step budget: when the budget runs out the caller falls back to RE2. Anything
// outside the subset does not compile.
// Thread-safety: immutable after TryCompile; Search is const and reentrant.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
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
    uint8_t lo[kMaxRanges][16] = {};    // each range's low byte, 16 times
    uint8_t span[kMaxRanges][16] = {};  // each range's hi - lo, 16 times
    // Length bounds of any text that the rest of the pattern after this term matches (up to
    // the end: 0 / 0 at the end of an anchored-end pattern, unbounded above otherwise), and of
    // each alternative of a group; they prune tries that cannot fit the remaining text.
    uint64_t after_min = 0, after_max = 0;
    std::vector<std::pair<uint64_t, uint64_t>> alternative_lengths;

    bool Has(unsigned char c) const { return c < 128 && (set[c >> 6] >> (c & 63)) & 1; }
  };

  // True when Search uses the one-pass match (schema/simple_regex_linear.cc).
  bool one_pass() const { return !linear_.empty(); }

  // How many bytes at the start of `p[0, limit)` are in `t.set` (the greedy run of an atom).
  static size_t RunLength(const Term& t, const char* p, size_t limit);

  // Length bounds (min, max; max UINT64_MAX when unbounded) of the texts `seq` matches.
  static std::pair<uint64_t, uint64_t> SequenceLength(const std::vector<Term>& seq);
  // Sets after_min / after_max (and the alternatives' lengths) of every term of `seq`, which
  // is followed by text of length in [then_min, then_max].
  static void SetLengths(std::vector<Term>* seq, uint64_t then_min, uint64_t then_max);

 private:
  struct Cont;

  // One way through the groups of an anchored pattern, as atoms only.
  struct Linear {
    std::vector<Term> atoms;
    uint64_t min_length, max_length;
  };

  bool Match(const std::vector<Term>& seq, size_t i, size_t pos, const Cont* k, std::string_view s,
             size_t* steps) const;
  // Fills linear_ when the pattern qualifies for the one-pass match (see the file comment).
  void BuildLinear();
  static bool MatchLinear(const Linear& linear, std::string_view s);

  std::vector<Term> seq_;
  std::vector<Linear> linear_;  // empty: backtracking
  uint64_t min_length_ = 0;     // of any match
  bool anchored_start_ = false;
  bool anchored_end_ = false;
};

}  // namespace sluice::schema
