#include "common/labels.h"

#include <algorithm>
#include <cstdio>

#define XXH_STATIC_LINKING_ONLY  // for the stack-allocated XXH3_state_t
#include <xxhash.h>

#include "common/result.h"

namespace sluice {

Labels::Labels(std::vector<Label> pairs) {
  // Stable sort keeps input order among equal names, so "last wins" below is well defined.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  pairs_.reserve(pairs.size());
  for (auto& p : pairs) {
    if (!pairs_.empty() && pairs_.back().name == p.name) {
      pairs_.back().value = std::move(p.value);
      continue;
    }
    pairs_.push_back(std::move(p));
  }
  std::erase_if(pairs_, [](const Label& l) { return l.value.empty(); });
}

Labels Labels::FromPairs(
    std::initializer_list<std::pair<std::string_view, std::string_view>> p) {
  std::vector<Label> v;
  v.reserve(p.size());
  for (const auto& [n, val] : p) v.push_back(Label{std::string(n), std::string(val)});
  return Labels(std::move(v));
}

std::string_view Labels::Get(std::string_view name) const {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != pairs_.end() && it->name == name) return it->value;
  return {};
}

bool Labels::Has(std::string_view name) const { return !Get(name).empty(); }

Labels Labels::With(std::string_view name, std::string_view value) const {
  std::vector<Label> v = pairs_;
  v.push_back(Label{std::string(name), std::string(value)});
  return Labels(std::move(v));
}

Labels Labels::Without(std::string_view name) const {
  Labels out = *this;
  std::erase_if(out.pairs_, [&](const Label& l) { return l.name == name; });
  return out;
}

uint64_t Labels::Hash() const {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  static constexpr char kSep = '\xff';  // cannot occur in a valid label name
  for (const auto& l : pairs_) {
    XXH3_64bits_update(&state, l.name.data(), l.name.size());
    XXH3_64bits_update(&state, &kSep, 1);
    XXH3_64bits_update(&state, l.value.data(), l.value.size());
    XXH3_64bits_update(&state, &kSep, 1);
  }
  return XXH3_64bits_digest(&state);
}

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string Labels::ToString() const {
  std::string out = "{";
  bool first = true;
  for (const auto& l : pairs_) {
    if (!first) out += ", ";
    first = false;
    out += l.name;
    out += '=';
    AppendQuoted(l.value, &out);
  }
  out += '}';
  return out;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

namespace {

class LabelStringParser {
 public:
  explicit LabelStringParser(std::string_view s) : s_(s) {}

  Result<Labels> Parse() {
    SkipSpace();
    if (!Consume('{')) return Error("expected '{'");
    std::vector<Label> pairs;
    SkipSpace();
    if (Consume('}')) return Finish(std::move(pairs));
    while (true) {
      SkipSpace();
      size_t start = pos_;
      while (pos_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      if (name.empty()) return Error("expected label name");
      SkipSpace();
      if (!Consume('=')) return Error("expected '='");
      SkipSpace();
      std::string value;
      Status st = ParseQuoted(&value);
      if (!st.ok()) return st;
      pairs.push_back(Label{std::move(name), std::move(value)});
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume('}')) return Finish(std::move(pairs));
      return Error("expected ',' or '}'");
    }
  }

 private:
  Result<Labels> Finish(std::vector<Label> pairs) {
    SkipSpace();
    if (pos_ != s_.size()) return Error("unexpected trailing characters");
    return Labels(std::move(pairs));
  }

  Status ParseQuoted(std::string* out) {
    char quote = pos_ < s_.size() ? s_[pos_] : '\0';
    if (quote != '"' && quote != '`') return Error("expected quoted label value");
    ++pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == quote) return Status::Ok();
      if (c == '\\' && quote == '"') {
        if (pos_ >= s_.size()) break;
        char e = s_[pos_++];
        switch (e) {
          case 'n': out->push_back('\n'); break;
          case 't': out->push_back('\t'); break;
          case 'r': out->push_back('\r'); break;
          case '\\': out->push_back('\\'); break;
          case '"': out->push_back('"'); break;
          case '\'': out->push_back('\''); break;
          default: out->push_back('\\'); out->push_back(e);
        }
        continue;
      }
      out->push_back(c);
    }
    return Error("unterminated quoted string");
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n')) ++pos_;
  }
  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Error(std::string_view what) const {
    return InvalidArgumentError(std::string(what) + " at position " + std::to_string(pos_));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<Labels> ParseLabelString(std::string_view text) { return LabelStringParser(text).Parse(); }

}  // namespace sluice
