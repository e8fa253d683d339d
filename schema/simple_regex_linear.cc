// The one-pass match of SimpleRegex: for a pattern anchored at both ends, every way through
// its groups (an optional group is two ways) is a sequence of atoms. An atom never needs a
// second try when its count is fixed (min == max), when the rest of the way has a fixed
// length (then the text left fixes the count), or when its class shares no byte with what
// the next atoms can start with (then the count is the run of its class: leaving one of its
// bytes behind would leave a byte no later atom can take). If every atom of every way is
// such, a match is: some way whose atoms, taken in order this way, end at the end of the text.
#include <algorithm>

#include "schema/simple_regex.h"

namespace sluice::schema {

namespace {

using Term = SimpleRegex::Term;

constexpr size_t kMaxWays = 16;
constexpr uint64_t kUnbounded = UINT64_MAX;

// Every way through the groups of `seq`, as atoms; false when a group holds a group or there
// are more than kMaxWays ways.
bool Flatten(const std::vector<Term>& seq, std::vector<std::vector<Term>>* ways) {
  static const std::vector<Term> kSkipped;  // an optional group left out
  ways->assign(1, {});
  for (const Term& t : seq) {
    if (t.alternatives.empty()) {
      for (std::vector<Term>& way : *ways)
        way.push_back(t);
      continue;
    }
    std::vector<const std::vector<Term>*> choices;
    for (const std::vector<Term>& alt : t.alternatives) {
      for (const Term& a : alt) {
        if (!a.alternatives.empty())
          return false;
      }
      choices.push_back(&alt);
    }
    if (t.min == 0)
      choices.push_back(&kSkipped);
    std::vector<std::vector<Term>> next;
    for (const std::vector<Term>& way : *ways) {
      for (const std::vector<Term>* choice : choices) {
        if (next.size() == kMaxWays)
          return false;
        std::vector<Term>& longer = next.emplace_back(way);
        longer.insert(longer.end(), choice->begin(), choice->end());
      }
    }
    *ways = std::move(next);
  }
  return true;
}

// True when atom i of `atoms` (lengths set) never needs a second try; see the file comment.
bool Deterministic(const std::vector<Term>& atoms, size_t i) {
  const Term& t = atoms[i];
  if (t.min == t.max || t.after_min == t.after_max)
    return true;
  uint64_t first[2] = {0, 0};  // the bytes the next atoms can start with
  for (size_t j = i + 1; j < atoms.size(); ++j) {
    first[0] |= atoms[j].set[0];
    first[1] |= atoms[j].set[1];
    if (atoms[j].min > 0)
      break;
  }
  return (t.set[0] & first[0]) == 0 && (t.set[1] & first[1]) == 0;
}

}  // namespace

void SimpleRegex::BuildLinear() {
  if (!anchored_start_ || !anchored_end_)
    return;
  std::vector<std::vector<Term>> ways;
  if (!Flatten(seq_, &ways))
    return;
  std::vector<Linear> linear;
  for (std::vector<Term>& atoms : ways) {
    SetLengths(&atoms, 0, 0);
    for (size_t i = 0; i < atoms.size(); ++i) {
      if (!Deterministic(atoms, i))
        return;
    }
    auto [lo, hi] = SequenceLength(atoms);
    linear.push_back({std::move(atoms), lo, hi});
  }
  linear_ = std::move(linear);
}

bool SimpleRegex::MatchLinear(const Linear& linear, std::string_view s) {
  if (s.size() < linear.min_length || s.size() > linear.max_length)
    return false;
  size_t pos = 0;
  for (const Term& t : linear.atoms) {
    // The count c must leave a length the rest can take: s.size() - pos - c in [after_min,
    // after_max]; after_min is finite (minimums always are).
    uint64_t rem = s.size() - pos;
    if (rem < t.min + t.after_min)
      return false;
    uint64_t hi = std::min<uint64_t>(t.max, rem - t.after_min);
    uint64_t lo = t.min;
    if (t.after_max != kUnbounded && rem > t.after_max)
      lo = std::max<uint64_t>(lo, rem - t.after_max);
    if (lo > hi)
      return false;
    size_t run = RunLength(t, s.data() + pos, size_t(hi));
    if (run < lo)
      return false;
    pos += run;  // == lo when lo == hi; the whole run otherwise (the class stops the atom)
  }
  return pos == s.size();
}

}  // namespace sluice::schema
