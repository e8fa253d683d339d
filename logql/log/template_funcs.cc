// The template function table: Go builtins, Loki's functions, the sprig subset Loki enables,
// and the legacy Go-named string helpers.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>

#include <re2/re2.h>

#include "logql/log/label_filter.h"
#include "logql/log/template.h"
#include "logql/log/template_value.h"

namespace sluice::logql::log {
namespace {

using Args = std::vector<TValue>;
using R = Result<TValue>;
using T = TValue::Type;

Status Arity(const Args& a, size_t n) {
  if (a.size() != n) {
    return InvalidArgumentError("wrong number of args: want " + std::to_string(n) + " got " +
                                std::to_string(a.size()));
  }
  return Status::Ok();
}

std::string Str(const TValue& v) {
  return v.type == T::kString ? v.s : Printed(v);
}

// Go integer arithmetic wraps on overflow; signed overflow is undefined in C++.
int64_t WrapAdd(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
}

int64_t WrapSub(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y));
}

int64_t WrapMul(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y));
}

// sprig's cast.ToInt64 / ToFloat64: unparsable strings are 0.
int64_t ToInt(const TValue& v) {
  switch (v.type) {
    case T::kInt:
      return v.i;
    case T::kFloat:
      // Out of range (or NaN) is undefined in C++; Go on amd64 yields the minimum int64.
      if (!(v.f >= -9.2233720368547758e18 && v.f < 9.2233720368547758e18))
        return INT64_MIN;
      return static_cast<int64_t>(v.f);
    case T::kBool:
      return v.b ? 1 : 0;
    case T::kString: {
      std::string s = v.s;
      if (auto dot = s.find('.');
          dot != std::string::npos && s.find_first_not_of('0', dot + 1) == std::string::npos)
        s.resize(dot);
      try {
        size_t used = 0;
        long long r = std::stoll(s, &used, 0);
        return used == s.size() ? r : 0;
      } catch (...) {
        return 0;
      }
    }
    default:
      return 0;
  }
}

double ToFloat(const TValue& v) {
  switch (v.type) {
    case T::kInt:
      return static_cast<double>(v.i);
    case T::kFloat:
      return v.f;
    case T::kBool:
      return v.b ? 1 : 0;
    case T::kString: {
      auto r = ParseLabelFloat(v.s);
      return r.ok() ? *r : 0;
    }
    default:
      return 0;
  }
}

Result<int64_t> IntArg(const TValue& v) {
  if (v.type == T::kInt)
    return v.i;
  if (v.type == T::kFloat)
    return static_cast<int64_t>(v.f);
  return InvalidArgumentError("wrong type for value; expected int; got " +
                              std::string(TypeName(v)));
}

// Rune-indexed helpers for trunc / substr / align.
std::vector<size_t> RuneStarts(const std::string& s) {
  std::vector<size_t> r;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80)
      r.push_back(i);
  }
  r.push_back(s.size());
  return r;
}

std::string RuneSlice(const std::string& s, const std::vector<size_t>& rs, int64_t a, int64_t b) {
  return s.substr(rs[a], rs[b] - rs[a]);
}

bool InSet(char c, const std::string& cut) {
  return cut.find(c) != std::string::npos;
}

std::string TrimSet(std::string s, const std::string& cut, bool left, bool right) {
  size_t b = 0, e = s.size();
  while (left && b < e && InSet(s[b], cut))
    ++b;
  while (right && e > b && InSet(s[e - 1], cut))
    --e;
  return s.substr(b, e - b);
}

const std::string kSpace = " \t\n\v\f\r";

std::string ReplaceAll(const std::string& s, const std::string& from, const std::string& to,
                       int64_t n) {
  if (from.empty() && n != 0) {  // Go inserts `to` around every rune
    std::string out;
    auto rs = RuneStarts(s);
    int64_t done = 0;
    for (size_t k = 0; k + 1 < rs.size() || k == 0; ++k) {
      if (n < 0 || done < n) {
        out += to;
        ++done;
      }
      if (k + 1 < rs.size())
        out += s.substr(rs[k], rs[k + 1] - rs[k]);
      if (k + 1 >= rs.size() - 1) {
        if (k + 1 == rs.size() - 1 && (n < 0 || done < n))
          out += to;
        break;
      }
    }
    return out;
  }
  std::string out;
  size_t pos = 0;
  int64_t done = 0;
  while (n < 0 || done < n) {
    size_t f = s.find(from, pos);
    if (f == std::string::npos)
      break;
    out += s.substr(pos, f - pos) + to;
    pos = f + from.size();
    ++done;
  }
  return out + s.substr(pos);
}

// Go regexp ReplaceAllString: `$1`, `${1}`, `${name}` expand unless literal.
Result<std::string> RegexReplace(const std::string& pattern, const std::string& s,
                                 const std::string& repl, bool literal) {
  RE2::Options o;
  o.set_log_errors(false);
  RE2 re(pattern, o);
  if (!re.ok())
    return InvalidArgumentError("error parsing regexp: " + re.error() + ": `" + pattern + "`");
  int ng = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> g(ng);
  const auto& names = re.NamedCapturingGroups();
  std::string out;
  size_t pos = 0, last_match_end = std::string::npos;
  while (pos <= s.size()) {
    if (!re.Match(s, pos, s.size(), RE2::UNANCHORED, g.data(), ng))
      break;
    size_t ms = g[0].data() - s.data(), me = ms + g[0].size();
    if (g[0].empty() && ms == last_match_end) {  // no empty match right after a match
      if (ms >= s.size())
        break;
      out += s[ms];
      pos = ms + 1;
      continue;
    }
    out += s.substr(pos, ms - pos);
    if (literal) {
      out += repl;
    } else {
      for (size_t k = 0; k < repl.size(); ++k) {
        if (repl[k] != '$' || k + 1 >= repl.size()) {
          out += repl[k];
          continue;
        }
        if (repl[k + 1] == '$') {
          out += '$';
          ++k;
          continue;
        }
        std::string name;
        size_t j = k + 1;
        if (repl[j] == '{') {
          size_t close = repl.find('}', j);
          if (close == std::string::npos) {
            out += repl[k];
            continue;
          }
          name = repl.substr(j + 1, close - j - 1);
          j = close + 1;
        } else {
          while (j < repl.size() &&
                 (std::isalnum(static_cast<unsigned char>(repl[j])) || repl[j] == '_'))
            name += repl[j++];
          if (name.empty()) {
            out += repl[k];
            continue;
          }
        }
        int idx = -1;
        if (std::all_of(name.begin(), name.end(), ::isdigit)) {
          // from_chars, not stoi: a huge group number ($3333...) is out of range, not a throw.
          if (std::from_chars(name.data(), name.data() + name.size(), idx).ec != std::errc())
            idx = -1;
        } else if (auto it = names.find(name); it != names.end())
          idx = it->second;
        if (idx >= 0 && idx < ng)
          out += std::string(g[idx].data() ? std::string(g[idx]) : "");
        k = j - 1;
      }
    }
    last_match_end = me;
    if (g[0].empty()) {
      if (me < s.size())
        out += s[me];
      pos = me + 1;
    } else {
      pos = me;
    }
  }
  if (pos < s.size())
    out += s.substr(pos);
  return out;
}

int Compare3(const TValue& a, const TValue& b, bool* ok) {
  *ok = true;
  if (a.type == T::kString && b.type == T::kString)
    return a.s < b.s ? -1 : a.s > b.s;
  if (a.type == T::kInt && b.type == T::kInt)
    return a.i < b.i ? -1 : a.i > b.i;
  if ((a.type == T::kInt || a.type == T::kFloat) && (b.type == T::kInt || b.type == T::kFloat) &&
      a.type == b.type) {
    return a.f < b.f ? -1 : a.f > b.f;
  }
  if (a.type == T::kBool && b.type == T::kBool)
    return a.b == b.b ? 0 : 2;
  if (a.type == T::kNil && b.type == T::kNil)
    return 0;
  *ok = false;
  return 0;
}

R CmpFn(const Args& a, bool (*pred)(int)) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  bool ok;
  int c = Compare3(a[0], a[1], &ok);
  if (!ok)
    return InvalidArgumentError("incompatible types for comparison");
  if (c == 2)
    return InvalidArgumentError("invalid type for comparison");
  return TValue::Bool(pred(c));
}

std::string UrlEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else if (c == ' ')
      out += '+';
    else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

const std::string kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string B64Enc(const std::string& s) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(s[i]) << 16) |
                 (static_cast<unsigned char>(s[i + 1]) << 8) | static_cast<unsigned char>(s[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == s.size()) {
    uint32_t v = static_cast<unsigned char>(s[i]) << 16;
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == s.size()) {
    uint32_t v =
        (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string B64Dec(std::string v) {
  if (size_t r = v.size() % 4; r != 0 && r != 1)
    v.append(4 - r, '=');
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '=') {
      if (v.size() % 4 != 0)
        return "illegal base64 data at input byte " + std::to_string(i);
      break;
    }
    size_t d = kB64.find(c);
    if (d == std::string::npos || v.size() % 4 != 0)
      return "illegal base64 data at input byte " +
             std::to_string(d == std::string::npos ? i : v.size() - v.size() % 4);
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

R TimeArg(const TValue& v, const char* fn) {
  if (v.type == T::kTime)
    return v;
  return InvalidArgumentError(std::string("wrong type for value; expected time.Time; got ") +
                              std::string(TypeName(v)) + " (" + fn + ")");
}

// Every template function has this signature; some use neither argument (now, ...).
#define FN(name) R name([[maybe_unused]] const Args& a, [[maybe_unused]] const TemplateContext& ctx)

FN(FnAnd) {
  if (a.empty())
    return TValue();
  for (const auto& v : a)
    if (!Truthy(v))
      return v;
  return a.back();
}

FN(FnOr) {
  if (a.empty())
    return TValue();
  for (const auto& v : a)
    if (Truthy(v))
      return v;
  return a.back();
}

FN(FnNot) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Bool(!Truthy(a[0]));
}

FN(FnLen) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  if (a[0].type == T::kString)
    return TValue::Int(static_cast<int64_t>(a[0].s.size()));
  if (a[0].type == T::kList)
    return TValue::Int(static_cast<int64_t>(a[0].list->size()));
  if (a[0].type == T::kMap)
    return TValue::Int(static_cast<int64_t>(a[0].map->size()));
  return InvalidArgumentError("len of type " + std::string(TypeName(a[0])));
}

FN(FnEq) {
  if (a.size() < 2)
    return InvalidArgumentError("missing argument for comparison");
  for (size_t k = 1; k < a.size(); ++k) {
    bool ok;
    int c = Compare3(a[0], a[k], &ok);
    if (!ok)
      return InvalidArgumentError("incompatible types for comparison");
    if (c == 0)
      return TValue::Bool(true);
  }
  return TValue::Bool(false);
}

FN(FnNe) {
  return CmpFn(a, [](int c) { return c != 0; });
}

FN(FnLt) {
  return CmpFn(a, [](int c) { return c == -1; });
}

FN(FnLe) {
  return CmpFn(a, [](int c) { return c == -1 || c == 0; });
}

FN(FnGt) {
  return CmpFn(a, [](int c) { return c == 1; });
}

FN(FnGe) {
  return CmpFn(a, [](int c) { return c == 1 || c == 0; });
}

FN(FnPrint) {
  std::string out;
  for (size_t k = 0; k < a.size(); ++k) {
    if (k > 0 && a[k].type != T::kString && a[k - 1].type != T::kString)
      out += ' ';
    out += Printed(a[k]);
  }
  return TValue::Str(out);
}

FN(FnPrintln) {
  std::string out;
  for (size_t k = 0; k < a.size(); ++k) {
    if (k)
      out += ' ';
    out += Printed(a[k]);
  }
  return TValue::Str(out + "\n");
}

FN(FnPrintf) {
  if (a.empty())
    return InvalidArgumentError("wrong number of args for printf");
  return TValue::Str(GoSprintf(Str(a[0]), Args(a.begin() + 1, a.end())));
}

FN(FnLine) {
  return TValue::Str(std::string(ctx.line));
}

FN(FnTimestamp) {
  return TValue::Time(ctx.ts_ns);
}

FN(FnLower) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  std::string s = Str(a[0]);
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return TValue::Str(s);
}

FN(FnUpper) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  std::string s = Str(a[0]);
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return TValue::Str(s);
}

FN(FnTitle) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  std::string s = Str(a[0]);
  bool prev_letter = false;
  for (auto& c : s) {
    bool letter = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                  static_cast<unsigned char>(c) >= 0x80;
    if (letter && !prev_letter)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    prev_letter = letter;
  }
  return TValue::Str(s);
}

FN(FnTrim) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Str(TrimSet(Str(a[0]), kSpace, true, true));
}

FN(FnTrimAll) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Str(TrimSet(Str(a[1]), Str(a[0]), true, true));
}

FN(FnTrimPrefixSprig) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  std::string s = Str(a[1]), p = Str(a[0]);
  return TValue::Str(s.starts_with(p) ? s.substr(p.size()) : s);
}

FN(FnTrimSuffixSprig) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  std::string s = Str(a[1]), p = Str(a[0]);
  return TValue::Str(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
}

FN(FnGoTrim) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Str(TrimSet(Str(a[0]), Str(a[1]), true, true));
}

FN(FnGoTrimLeft) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Str(TrimSet(Str(a[0]), Str(a[1]), true, false));
}

FN(FnGoTrimRight) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Str(TrimSet(Str(a[0]), Str(a[1]), false, true));
}

FN(FnGoTrimPrefix) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  std::string s = Str(a[0]), p = Str(a[1]);
  return TValue::Str(s.starts_with(p) ? s.substr(p.size()) : s);
}

FN(FnGoTrimSuffix) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  std::string s = Str(a[0]), p = Str(a[1]);
  return TValue::Str(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
}

FN(FnGoReplace) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 4));
  SLUICE_ASSIGN_OR_RETURN(int64_t n, IntArg(a[3]));
  return TValue::Str(ReplaceAll(Str(a[0]), Str(a[1]), Str(a[2]), n));
}

FN(FnReplace) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 3));
  return TValue::Str(ReplaceAll(Str(a[2]), Str(a[0]), Str(a[1]), -1));
}

FN(FnContains) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Bool(Str(a[1]).find(Str(a[0])) != std::string::npos);
}

FN(FnHasPrefix) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Bool(Str(a[1]).starts_with(Str(a[0])));
}

FN(FnHasSuffix) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Bool(Str(a[1]).ends_with(Str(a[0])));
}

FN(FnTrunc) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  SLUICE_ASSIGN_OR_RETURN(int64_t c, IntArg(a[0]));
  std::string s = Str(a[1]);
  auto rs = RuneStarts(s);
  int64_t l = static_cast<int64_t>(rs.size()) - 1;
  if (c < 0 && l + c > 0)
    return TValue::Str(RuneSlice(s, rs, l + c, l));
  if (c >= 0 && l > c)
    return TValue::Str(RuneSlice(s, rs, 0, c));
  return TValue::Str(s);
}

FN(FnSubstr) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 3));
  SLUICE_ASSIGN_OR_RETURN(int64_t start, IntArg(a[0]));
  SLUICE_ASSIGN_OR_RETURN(int64_t end, IntArg(a[1]));
  std::string s = Str(a[2]);
  auto rs = RuneStarts(s);
  int64_t l = static_cast<int64_t>(rs.size()) - 1;
  end = std::min(end, l);
  start = std::min(start, l);
  if (start < 0)
    return TValue::Str(end < 0 ? "" : RuneSlice(s, rs, 0, end));
  if (end < 0)
    return TValue::Str(RuneSlice(s, rs, start, l));
  if (start > end)
    return TValue::Str("");
  return TValue::Str(RuneSlice(s, rs, start, end));
}

FN(FnIndent) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  SLUICE_ASSIGN_OR_RETURN(int64_t n, IntArg(a[0]));
  std::string pad(static_cast<size_t>(std::max<int64_t>(n, 0)), ' ');
  return TValue::Str(pad + ReplaceAll(Str(a[1]), "\n", "\n" + pad, -1));
}

FN(FnNindent) {
  SLUICE_ASSIGN_OR_RETURN(TValue v, FnIndent(a, ctx));
  return TValue::Str("\n" + v.s);
}

FN(FnRepeat) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  SLUICE_ASSIGN_OR_RETURN(int64_t n, IntArg(a[0]));
  if (n < 0)
    return InvalidArgumentError("strings: negative Repeat count");
  std::string s = Str(a[1]), out;
  if (static_cast<double>(n) * static_cast<double>(s.size()) > 1e7)
    return InvalidArgumentError("strings: Repeat output length overflow");
  for (int64_t k = 0; k < n; ++k)
    out += s;
  return TValue::Str(out);
}

FN(FnInt) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Int(ToInt(a[0]));
}

FN(FnFloat64) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Float(ToFloat(a[0]));
}

FN(FnAdd) {
  int64_t s = 0;
  for (const auto& v : a)
    s = WrapAdd(s, ToInt(v));
  return TValue::Int(s);
}

FN(FnSub) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  return TValue::Int(WrapSub(ToInt(a[0]), ToInt(a[1])));
}

// Sprig's variadic arithmetic: the arguments as Num (int64_t or double), folded left to right
// from the first with `op`; no argument is an error.
template <typename Num, typename Op>
R FoldArgs(const Args& a, Op op) {
  if (a.empty())
    return InvalidArgumentError("wrong number of args");
  constexpr bool kInt = std::is_same_v<Num, int64_t>;
  auto num = [](const TValue& v) -> Num {
    if constexpr (kInt) {
      return ToInt(v);
    } else {
      return ToFloat(v);
    }
  };
  Num s = num(a[0]);
  for (size_t k = 1; k < a.size(); ++k)
    s = op(s, num(a[k]));
  if constexpr (kInt) {
    return TValue::Int(s);
  } else {
    return TValue::Float(s);
  }
}

template <typename Num>
Num Max(Num x, Num y) {
  return std::max(x, y);
}

template <typename Num>
Num Min(Num x, Num y) {
  return std::min(x, y);
}

FN(FnMul) {
  return FoldArgs<int64_t>(a, WrapMul);
}

FN(FnDiv) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  int64_t d = ToInt(a[1]);
  if (d == 0)
    return InvalidArgumentError("runtime error: integer divide by zero");
  int64_t n = ToInt(a[0]);
  if (n == INT64_MIN && d == -1)
    return TValue::Int(INT64_MIN);  // Go wraps; C++ would be undefined
  return TValue::Int(n / d);
}

FN(FnMod) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  int64_t d = ToInt(a[1]);
  if (d == 0)
    return InvalidArgumentError("runtime error: integer divide by zero");
  if (d == -1)
    return TValue::Int(0);  // also avoids INT64_MIN % -1, undefined in C++
  return TValue::Int(ToInt(a[0]) % d);
}

FN(FnAddf) {
  double s = 0;
  for (const auto& v : a)
    s += ToFloat(v);
  return TValue::Float(s);
}

FN(FnSubf) {
  return FoldArgs<double>(a, std::minus<double>());
}

FN(FnMulf) {
  return FoldArgs<double>(a, std::multiplies<double>());
}

FN(FnDivf) {
  if (a.empty())
    return InvalidArgumentError("wrong number of args");
  double s = ToFloat(a[0]);
  for (size_t k = 1; k < a.size(); ++k) {
    if (ToFloat(a[k]) == 0)
      return InvalidArgumentError("division by zero");
    s /= ToFloat(a[k]);
  }
  return TValue::Float(s);
}

FN(FnMax) {
  return FoldArgs<int64_t>(a, Max<int64_t>);
}

FN(FnMin) {
  return FoldArgs<int64_t>(a, Min<int64_t>);
}

FN(FnMaxf) {
  return FoldArgs<double>(a, Max<double>);
}

FN(FnMinf) {
  return FoldArgs<double>(a, Min<double>);
}

FN(FnCeil) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Float(std::ceil(ToFloat(a[0])));
}

FN(FnFloor) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Float(std::floor(ToFloat(a[0])));
}

FN(FnRound) {
  if (a.size() < 2 || a.size() > 3)
    return InvalidArgumentError("wrong number of args for round");
  SLUICE_ASSIGN_OR_RETURN(int64_t places, IntArg(a[1]));
  double round_on = a.size() == 3 ? ToFloat(a[2]) : 0.5;
  double pow = std::pow(10.0, static_cast<double>(places));
  double digit = pow * ToFloat(a[0]);
  double ip;
  double frac = std::modf(digit, &ip);
  return TValue::Float((frac >= round_on ? std::ceil(digit) : std::floor(digit)) / pow);
}

FN(FnDefault) {
  if (a.empty())
    return InvalidArgumentError("wrong number of args for default");
  if (a.size() == 1 || !Truthy(a[1]))
    return a[0];
  return a[1];
}

FN(FnCount) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  RE2::Options o;
  o.set_log_errors(false);
  RE2 re(Str(a[0]), o);
  if (!re.ok())
    return InvalidArgumentError("error parsing regexp: " + re.error());
  std::string s = Str(a[1]);
  re2::StringPiece in(s), m;
  int64_t n = 0;
  size_t pos = 0;
  while (pos <= s.size() && re.Match(s, pos, s.size(), RE2::UNANCHORED, &m, 1)) {
    ++n;
    size_t end = m.data() - s.data() + m.size();
    pos = m.empty() ? end + 1 : end;
  }
  return TValue::Int(n);
}

FN(FnRegexReplaceAll) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 3));
  SLUICE_ASSIGN_OR_RETURN(std::string s, RegexReplace(Str(a[0]), Str(a[1]), Str(a[2]), false));
  return TValue::Str(s);
}

FN(FnRegexReplaceAllLiteral) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 3));
  SLUICE_ASSIGN_OR_RETURN(std::string s, RegexReplace(Str(a[0]), Str(a[1]), Str(a[2]), true));
  return TValue::Str(s);
}

FN(FnUrlencode) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Str(UrlEscape(Str(a[0])));
}

FN(FnUrldecode) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  std::string s = Str(a[0]), out;
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] == '+') {
      out += ' ';
      continue;
    }
    if (s[k] != '%') {
      out += s[k];
      continue;
    }
    if (k + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[k + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[k + 2]))) {
      return InvalidArgumentError("invalid URL escape \"" +
                                  s.substr(k, std::min<size_t>(3, s.size() - k)) + "\"");
    }
    out += static_cast<char>(std::stoi(s.substr(k + 1, 2), nullptr, 16));
    k += 2;
  }
  return TValue::Str(out);
}

FN(FnB64enc) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Str(B64Enc(Str(a[0])));
}

FN(FnB64dec) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue::Str(B64Dec(Str(a[0])));
}

FN(FnBytes) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  std::string s = Str(a[0]);
  std::erase(s, ' ');
  SLUICE_ASSIGN_OR_RETURN(uint64_t b, ParseHumanBytes(s));
  return TValue::Float(static_cast<double>(b));
}

FN(FnDuration) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  SLUICE_ASSIGN_OR_RETURN(int64_t ns, ParseLabelDuration(Str(a[0])));
  return TValue::Float(static_cast<double>(ns) / 1e9);
}

FN(FnAlignLeft) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  SLUICE_ASSIGN_OR_RETURN(int64_t n, IntArg(a[0]));
  std::string s = Str(a[1]);
  auto rs = RuneStarts(s);
  int64_t l = static_cast<int64_t>(rs.size()) - 1;
  if (n < 0 || n == l)
    return TValue::Str(s);
  if (n > l)
    return TValue::Str(s + std::string(static_cast<size_t>(n - l), ' '));
  return TValue::Str(RuneSlice(s, rs, 0, n));
}

FN(FnAlignRight) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  SLUICE_ASSIGN_OR_RETURN(int64_t n, IntArg(a[0]));
  std::string s = Str(a[1]);
  auto rs = RuneStarts(s);
  int64_t l = static_cast<int64_t>(rs.size()) - 1;
  if (n < 0 || n == l)
    return TValue::Str(s);
  if (n > l)
    return TValue::Str(std::string(static_cast<size_t>(n - l), ' ') + s);
  return TValue::Str(RuneSlice(s, rs, l - n, l));
}

FN(FnNow) {
  (void)a;
  return TValue::Time(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count());
}

FN(FnDate) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  int64_t ns;
  if (a[1].type == T::kTime)
    ns = a[1].i;
  else if (a[1].type == T::kInt)
    ns = WrapMul(a[1].i, 1000000000);
  else {
    SLUICE_ASSIGN_OR_RETURN(TValue now, FnNow({}, ctx));
    ns = now.i;
  }
  return TValue::Str(FormatGoTime(ns, Str(a[0])));
}

FN(FnToDate) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 2));
  // Go's zero time (year 1) does not fit int64 ns: INT64_MIN stands for it.
  int64_t ns = std::numeric_limits<int64_t>::min();
  if (!ParseGoTime(Str(a[0]), Str(a[1]), &ns)) {
    ns = std::numeric_limits<int64_t>::min();
  }
  return TValue::Time(ns);
}

FN(FnToDateInZone) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 3));
  return FnToDate(Args{a[0], a[2]}, ctx);  // zones other than UTC are not loaded: UTC
}

FN(FnUnixEpoch) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  SLUICE_ASSIGN_OR_RETURN(TValue t, TimeArg(a[0], "unixEpoch"));
  if (t.i == std::numeric_limits<int64_t>::min())
    return TValue::Str("-62135596800");
  if (t.i == std::numeric_limits<int64_t>::min())
    return TValue::Str("-62135596800");
  int64_t s = t.i / 1000000000 - (t.i % 1000000000 < 0);
  return TValue::Str(std::to_string(s));
}

FN(FnUnixEpochMillis) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  SLUICE_ASSIGN_OR_RETURN(TValue t, TimeArg(a[0], "unixEpochMillis"));
  return TValue::Str(std::to_string(t.i / 1000000));
}

FN(FnUnixEpochNanos) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  SLUICE_ASSIGN_OR_RETURN(TValue t, TimeArg(a[0], "unixEpochNanos"));
  return TValue::Str(std::to_string(t.i));
}

FN(FnUnixToTime) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  std::string s = Str(a[0]);
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  bool ok = r.ec == std::errc() && r.ptr == s.data() + s.size();
  if (ok) {
    switch (s.size()) {
      case 5:
        return TValue::Time(WrapMul(v, 86400LL * 1000000000));
      case 10:
        return TValue::Time(WrapMul(v, 1000000000));
      case 13:
        return TValue::Time(v * 1000000);
      case 16:
        return TValue::Time(v * 1000);
      case 19:
        return TValue::Time(v);
      default:
        break;
    }
    return InvalidArgumentError("unable to parse time '" + s + "': <nil>");
  }
  return InvalidArgumentError("unable to parse time '" + s + "': strconv.ParseInt: parsing \"" + s +
                              "\": invalid syntax");
}

FN(FnFromJson) {
  SLUICE_RETURN_IF_ERROR(Arity(a, 1));
  return TValue();  // JSON objects in templates are not supported: renders as empty
}

struct Entry {
  std::string_view name;
  TemplateFunc fn;
};

constexpr Entry kFuncs[] = {
    {"and", FnAnd},
    {"or", FnOr},
    {"not", FnNot},
    {"len", FnLen},
    {"eq", FnEq},
    {"ne", FnNe},
    {"lt", FnLt},
    {"le", FnLe},
    {"gt", FnGt},
    {"ge", FnGe},
    {"print", FnPrint},
    {"printf", FnPrintf},
    {"println", FnPrintln},
    {"__line__", FnLine},
    {"__timestamp__", FnTimestamp},
    {"ToLower", FnLower},
    {"ToUpper", FnUpper},
    {"Replace", FnGoReplace},
    {"Trim", FnGoTrim},
    {"TrimLeft", FnGoTrimLeft},
    {"TrimRight", FnGoTrimRight},
    {"TrimPrefix", FnGoTrimPrefix},
    {"TrimSuffix", FnGoTrimSuffix},
    {"TrimSpace", FnTrim},
    {"trimSpace", FnTrim},
    {"regexReplaceAll", FnRegexReplaceAll},
    {"regexReplaceAllLiteral", FnRegexReplaceAllLiteral},
    {"count", FnCount},
    {"urldecode", FnUrldecode},
    {"urlencode", FnUrlencode},
    {"bytes", FnBytes},
    {"duration", FnDuration},
    {"duration_seconds", FnDuration},
    {"unixEpochMillis", FnUnixEpochMillis},
    {"unixEpochNanos", FnUnixEpochNanos},
    {"toDateInZone", FnToDateInZone},
    {"unixToTime", FnUnixToTime},
    {"alignLeft", FnAlignLeft},
    {"alignRight", FnAlignRight},
    {"b64dec", FnB64dec},
    {"b64enc", FnB64enc},
    {"lower", FnLower},
    {"upper", FnUpper},
    {"title", FnTitle},
    {"trunc", FnTrunc},
    {"substr", FnSubstr},
    {"contains", FnContains},
    {"hasPrefix", FnHasPrefix},
    {"hasSuffix", FnHasSuffix},
    {"indent", FnIndent},
    {"nindent", FnNindent},
    {"replace", FnReplace},
    {"repeat", FnRepeat},
    {"trim", FnTrim},
    {"trimAll", FnTrimAll},
    {"trimSuffix", FnTrimSuffixSprig},
    {"trimPrefix", FnTrimPrefixSprig},
    {"int", FnInt},
    {"float64", FnFloat64},
    {"add", FnAdd},
    {"sub", FnSub},
    {"mul", FnMul},
    {"div", FnDiv},
    {"mod", FnMod},
    {"addf", FnAddf},
    {"subf", FnSubf},
    {"mulf", FnMulf},
    {"divf", FnDivf},
    {"max", FnMax},
    {"min", FnMin},
    {"maxf", FnMaxf},
    {"minf", FnMinf},
    {"ceil", FnCeil},
    {"floor", FnFloor},
    {"round", FnRound},
    {"fromJson", FnFromJson},
    {"date", FnDate},
    {"toDate", FnToDate},
    {"now", FnNow},
    {"unixEpoch", FnUnixEpoch},
    {"default", FnDefault},
};

}  // namespace

TemplateFunc FindTemplateFunc(std::string_view name) {
  for (const auto& e : kFuncs) {
    if (e.name == name)
      return e.fn;
  }
  return nullptr;
}

std::vector<std::string_view> TemplateFunctionNames() {
  std::vector<std::string_view> out;
  for (const auto& e : kFuncs)
    out.push_back(e.name);
  return out;
}

}  // namespace sluice::logql::log
