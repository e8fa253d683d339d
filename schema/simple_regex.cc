#include "schema/simple_regex.h"

#include <algorithm>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice::schema {

namespace {

constexpr size_t kMaxSteps = 4096;
constexpr uint32_t kInfinite = UINT32_MAX;

void Add(SimpleRegex::Term* t, unsigned char c) {
  t->set[c >> 6] |= uint64_t(1) << (c & 63);
}

void AddRange(SimpleRegex::Term* t, unsigned char lo, unsigned char hi) {
  for (unsigned c = lo; c <= hi; ++c)
    Add(t, static_cast<unsigned char>(c));
}

bool IsMeta(char c) {
  return std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  // Parses a sequence up to ')' / '|' / end.
  bool Sequence(std::vector<SimpleRegex::Term>* seq) {
    while (i_ < s_.size() && s_[i_] != ')' && s_[i_] != '|') {
      SimpleRegex::Term t;
      if (!Atom(&t) || !Quantifier(&t))
        return false;
      seq->push_back(std::move(t));
    }
    return true;
  }

  bool Group(SimpleRegex::Term* t) {
    ++i_;  // '('
    if (s_.substr(i_, 2) == "?:")
      i_ += 2;
    else if (i_ < s_.size() && s_[i_] == '?')
      return false;  // lookaround, named groups
    while (true) {
      std::vector<SimpleRegex::Term> alt;
      if (!Sequence(&alt))
        return false;
      t->alternatives.push_back(std::move(alt));
      if (i_ >= s_.size())
        return false;
      if (s_[i_++] == ')')
        return true;
    }
  }

  bool Atom(SimpleRegex::Term* t) {
    char c = s_[i_];
    if (c == '(')
      return Group(t);
    if (c == '[')
      return Class(t);
    if (c == '\\')
      return Escape(t, false);
    if (IsMeta(c) || static_cast<unsigned char>(c) >= 0x80 ||
        static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
    Add(t, static_cast<unsigned char>(c));
    ++i_;
    return true;
  }

  bool Escape(SimpleRegex::Term* t, bool in_class) {
    if (i_ + 1 >= s_.size())
      return false;
    char c = s_[i_ + 1];
    i_ += 2;
    if (c == 'd') {
      AddRange(t, '0', '9');
    } else if (c == 'w') {
      AddRange(t, '0', '9');
      AddRange(t, 'a', 'z');
      AddRange(t, 'A', 'Z');
      Add(t, '_');
    } else if (IsMeta(c) || c == '-' || c == '/' || (in_class && c == ']')) {
      Add(t, static_cast<unsigned char>(c));
    } else {
      return false;  // \s, \D, \W, \b, \u..., \p{...}: not ASCII-only or not a character
    }
    return true;
  }

  bool Class(SimpleRegex::Term* t) {
    ++i_;  // '['
    if (i_ < s_.size() && (s_[i_] == '^' || s_[i_] == ']'))
      return false;
    while (i_ < s_.size() && s_[i_] != ']') {
      unsigned char lo;
      if (s_[i_] == '\\') {
        SimpleRegex::Term single;
        size_t at = i_;
        if (!Escape(&single, true))
          return false;
        if (s_[at + 1] == 'd' || s_[at + 1] == 'w') {
          t->set[0] |= single.set[0];
          t->set[1] |= single.set[1];
          continue;
        }
        lo = static_cast<unsigned char>(s_[at + 1]);
      } else {
        lo = static_cast<unsigned char>(s_[i_++]);
        if (lo >= 0x80 || lo < 0x20 || lo == '[')
          return false;
      }
      if (i_ + 1 < s_.size() && s_[i_] == '-' && s_[i_ + 1] != ']') {
        unsigned char hi = static_cast<unsigned char>(s_[i_ + 1]);
        if (hi == '\\' || hi >= 0x80 || hi < lo)
          return false;
        AddRange(t, lo, hi);
        i_ += 2;
      } else {
        Add(t, lo);
      }
    }
    if (i_ >= s_.size())
      return false;
    ++i_;  // ']'
    return true;
  }

  bool Quantifier(SimpleRegex::Term* t) {
    if (i_ >= s_.size())
      return true;
    char c = s_[i_];
    uint32_t min = 1, max = 1;
    if (c == '?') {
      min = 0;
      ++i_;
    } else if (c == '*') {
      min = 0;
      max = kInfinite;
      ++i_;
    } else if (c == '+') {
      max = kInfinite;
      ++i_;
    } else if (c == '{') {
      size_t close = s_.find('}', i_);
      if (close == std::string_view::npos)
        return false;
      std::string body(s_.substr(i_ + 1, close - i_ - 1));
      size_t comma = body.find(',');
      auto number = [](const std::string& d, uint32_t* out) {
        if (d.empty() || d.size() > 6 || d.find_first_not_of("0123456789") != std::string::npos) {
          return false;
        }
        *out = uint32_t(std::stoul(d));
        return true;
      };
      if (comma == std::string::npos) {
        if (!number(body, &min))
          return false;
        max = min;
      } else {
        if (!number(body.substr(0, comma), &min))
          return false;
        std::string hi = body.substr(comma + 1);
        if (hi.empty()) {
          max = kInfinite;
        } else if (!number(hi, &max) || max < min) {
          return false;
        }
      }
      i_ = close + 1;
    } else {
      return true;
    }
    if (i_ < s_.size() && s_[i_] == '?')
      ++i_;  // lazy: same yes/no answer
    if (!t->alternatives.empty() && !(min <= 1 && max == 1))
      return false;  // no repeated groups
    t->min = min;
    t->max = max;
    return true;
  }

  size_t pos() const { return i_; }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

namespace {

// Fills the ranges of `t` and of every term in its groups.
void SetRanges(SimpleRegex::Term* t) {
  for (std::vector<SimpleRegex::Term>& alt : t->alternatives) {
    for (SimpleRegex::Term& sub : alt)
      SetRanges(&sub);
  }
  uint8_t lo[SimpleRegex::Term::kMaxRanges], hi[SimpleRegex::Term::kMaxRanges];
  int n = 0;
  for (unsigned c = 0; c < 128; ++c) {
    if (!t->Has(static_cast<unsigned char>(c)))
      continue;
    if (n > 0 && hi[n - 1] + 1u == c) {
      hi[n - 1] = static_cast<uint8_t>(c);
      continue;
    }
    if (n == SimpleRegex::Term::kMaxRanges) {
      t->range_count = 0;
      return;
    }
    lo[n] = hi[n] = static_cast<uint8_t>(c);
    ++n;
  }
  t->range_count = static_cast<uint8_t>(n);
  for (int r = 0; r < n; ++r) {
    std::memset(t->lo[r], lo[r], 16);
    std::memset(t->span[r], hi[r] - lo[r], 16);
  }
}

constexpr uint64_t kUnbounded = UINT64_MAX;

uint64_t AddLengths(uint64_t a, uint64_t b) {
  return a == kUnbounded || b == kUnbounded ? kUnbounded : a + b;
}

// Length bounds of the text one term matches.
std::pair<uint64_t, uint64_t> TermLength(const SimpleRegex::Term& t) {
  if (t.alternatives.empty())
    return {t.min, t.max == kInfinite ? kUnbounded : t.max};
  uint64_t lo = kUnbounded, hi = 0;
  for (const std::vector<SimpleRegex::Term>& alt : t.alternatives) {
    auto [alo, ahi] = SimpleRegex::SequenceLength(alt);
    lo = std::min(lo, alo);
    hi = std::max(hi, ahi);
  }
  return {t.min == 0 ? 0 : lo, hi};  // a group repeats at most once
}

// True when text of length `rem` may be `lengths` followed by the term's `after`.
bool Fits(uint64_t rem, std::pair<uint64_t, uint64_t> lengths, const SimpleRegex::Term& t) {
  uint64_t lo = AddLengths(lengths.first, t.after_min);
  uint64_t hi = AddLengths(lengths.second, t.after_max);
  return rem >= lo && rem <= hi;
}

#if defined(__SSE2__)
// Bit i set when p[i] is in one of the ranges of `t`.
unsigned MemberMask(const SimpleRegex::Term& t, const char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i in = _mm_setzero_si128();
  for (int r = 0; r < t.range_count; ++r) {
    // (c - lo) mod 256 <= hi - lo, as a saturating subtraction that leaves 0.
    __m128i off = _mm_sub_epi8(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.lo[r])));
    __m128i over = _mm_subs_epu8(off, _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.span[r])));
    in = _mm_or_si128(in, _mm_cmpeq_epi8(over, _mm_setzero_si128()));
  }
  return unsigned(_mm_movemask_epi8(in));
}
#endif

}  // namespace

std::pair<uint64_t, uint64_t> SimpleRegex::SequenceLength(const std::vector<Term>& seq) {
  uint64_t lo = 0, hi = 0;
  for (const Term& t : seq) {
    auto [tlo, thi] = TermLength(t);
    lo = AddLengths(lo, tlo);
    hi = AddLengths(hi, thi);
  }
  return {lo, hi};
}

void SimpleRegex::SetLengths(std::vector<Term>* seq, uint64_t then_min, uint64_t then_max) {
  for (size_t i = seq->size(); i-- > 0;) {
    Term& t = (*seq)[i];
    t.after_min = then_min;
    t.after_max = then_max;
    t.alternative_lengths.clear();
    for (std::vector<Term>& alt : t.alternatives) {
      t.alternative_lengths.push_back(SequenceLength(alt));
      SetLengths(&alt, then_min, then_max);
    }
    auto [lo, hi] = TermLength(t);
    then_min = AddLengths(then_min, lo);
    then_max = AddLengths(then_max, hi);
  }
}

size_t SimpleRegex::RunLength(const Term& t, const char* p, size_t limit) {
  size_t n = 0;
#if defined(__SSE2__)
  if (t.range_count > 0 && limit >= 16) {
    for (; n + 16 <= limit; n += 16) {
      unsigned out = ~MemberMask(t, p + n) & 0xFFFF;
      if (out != 0)
        return n + size_t(__builtin_ctz(out));
    }
    if (n == limit)
      return n;
    // The last partial block, read as the 16 bytes ending at `limit`.
    size_t base = limit - 16;
    unsigned out = (~MemberMask(t, p + base) & 0xFFFF) >> (n - base);
    return out != 0 ? n + size_t(__builtin_ctz(out)) : limit;
  }
#endif
  while (n < limit && t.Has(static_cast<unsigned char>(p[n])))
    ++n;
  return n;
}

struct SimpleRegex::Cont {
  const std::vector<Term>* seq;
  size_t i;
  const Cont* next;
};

std::unique_ptr<SimpleRegex> SimpleRegex::TryCompile(std::string_view ecma) {
  auto re = std::make_unique<SimpleRegex>();
  if (!ecma.empty() && ecma.front() == '^') {
    re->anchored_start_ = true;
    ecma.remove_prefix(1);
  }
  if (!ecma.empty() && ecma.back() == '$' && (ecma.size() < 2 || ecma[ecma.size() - 2] != '\\')) {
    re->anchored_end_ = true;
    ecma.remove_suffix(1);
  }
  Parser parser(ecma);
  if (!parser.Sequence(&re->seq_) || parser.pos() != ecma.size())
    return nullptr;
  for (Term& t : re->seq_)
    SetRanges(&t);
  SetLengths(&re->seq_, 0, re->anchored_end_ ? 0 : kUnbounded);
  re->min_length_ = SequenceLength(re->seq_).first;
  re->BuildLinear();
  return re;
}

bool SimpleRegex::Match(const std::vector<Term>& seq, size_t i, size_t pos, const Cont* k,
                        std::string_view s, size_t* steps) const {
  if (++*steps > kMaxSteps)
    return false;
  if (i == seq.size()) {
    if (k != nullptr)
      return Match(*k->seq, k->i, pos, k->next, s, steps);
    return !anchored_end_ || pos == s.size();
  }
  const Term& t = seq[i];
  uint64_t rem = s.size() - pos;
  if (t.alternatives.empty()) {
    // The run may take c bytes where the rest still fits: rem - c in [after_min, after_max].
    if (rem < AddLengths(t.min, t.after_min))
      return false;
    uint64_t longest = std::min<uint64_t>(t.max, rem - t.after_min);
    uint64_t shortest = t.min;
    if (t.after_max != kUnbounded && rem > t.after_max)
      shortest = std::max<uint64_t>(shortest, rem - t.after_max);
    size_t n = RunLength(t, s.data() + pos, size_t(longest));
    if (n < shortest)
      return false;
    if (k == nullptr && i + 1 == seq.size())
      return true;  // the last atom: any c in [shortest, n] ends the match
    for (size_t c = n;; --c) {
      if (Match(seq, i + 1, pos + c, k, s, steps))
        return true;
      if (c == shortest || *steps > kMaxSteps)
        return false;
    }
  }
  Cont next{&seq, i + 1, k};
  for (size_t a = 0; a < t.alternatives.size(); ++a) {
    if (Fits(rem, t.alternative_lengths[a], t) && Match(t.alternatives[a], 0, pos, &next, s, steps))
      return true;
  }
  return t.min == 0 && Match(seq, i + 1, pos, k, s, steps);
}

SimpleRegex::Outcome SimpleRegex::Search(std::string_view s) const {
  if (s.size() < min_length_)
    return Outcome::kNoMatch;
  if (!linear_.empty()) {
    for (const Linear& linear : linear_) {
      if (MatchLinear(linear, s))
        return Outcome::kMatch;
    }
    return Outcome::kNoMatch;
  }
  size_t steps = 0;
  size_t last_start = anchored_start_ ? 0 : s.size() - min_length_;
  for (size_t start = 0; start <= last_start; ++start) {
    if (Match(seq_, 0, start, nullptr, s, &steps))
      return Outcome::kMatch;
    if (steps > kMaxSteps)
      return Outcome::kGaveUp;
  }
  return Outcome::kNoMatch;
}

}  // namespace sluice::schema
