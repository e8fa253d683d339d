#include "ingest/level_detection.h"

#include <array>
#include <cstdlib>
#include <utility>

namespace sluice::ingest {

namespace {

// Loki's DefaultAllowedLevelFields, in priority order.
constexpr std::array<std::string_view, 14> kLevelFields = {
    "level",    "LEVEL",         "Level",         "log.level",    "severity",
    "SEVERITY", "Severity",      "SeverityText",  "lvl",          "LVL",
    "Lvl",      "severity_text", "Severity_Text", "SEVERITY_TEXT"};

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i]))
      return false;
  }
  return true;
}

// Loki's normalizeLogLevel / the switch in extractLogLevelFromLogLine: level words (any case)
// and what they mean.
constexpr std::pair<std::string_view, std::string_view> kLevelWords[] = {
    {"trc", "trace"},         {"dbg", "debug"},       {"inf", "info"},    {"wrn", "warn"},
    {"err", "error"},         {"info", "info"},       {"warn", "warn"},   {"trace", "trace"},
    {"debug", "debug"},       {"error", "error"},     {"fatal", "fatal"}, {"warning", "warn"},
    {"critical", "critical"}, {"information", "info"}};

// "" when `v` is not a level word.
std::string_view KnownLevel(std::string_view v) {
  for (const auto& [word, level] : kLevelWords) {
    if (EqualFold(v, word))
      return level;
  }
  return {};
}

std::string NormalizeLevel(std::string_view v) {
  std::string_view known = KnownLevel(v);
  return std::string(known.empty() ? v : known);
}

const Label* FindLabel(const std::vector<Label>& pairs, std::string_view name) {
  for (const Label& l : pairs) {
    if (l.name == name && !l.value.empty())
      return &l;
  }
  return nullptr;
}

// OTLP SeverityNumber ranges (opentelemetry logs data model).
std::string_view LevelFromSeverityNumber(std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  long n = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || s[0] == ' ')
    return "info";  // Go: Atoi error -> info
  if (n == 0)
    return "unknown";
  if (n <= 4)
    return "trace";
  if (n <= 8)
    return "debug";
  if (n <= 12)
    return "info";
  if (n <= 16)
    return "warn";
  if (n <= 20)
    return "error";
  if (n <= 24)
    return "fatal";
  return "unknown";
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool LooksLikeJson(std::string_view line) {
  size_t b = 0, e = line.size();
  while (b < e && IsAsciiSpace(line[b]))
    ++b;
  while (e > b && IsAsciiSpace(line[e - 1]))
    --e;
  return e - b >= 2 && line[b] == '{' && line[e - 1] == '}';
}

// A lenient scanner with jsonparser.ObjectEach's behaviour: keys are visited in order until the
// first syntax error; string values are returned raw (escapes kept, quotes stripped).
class JsonLevelScanner {
 public:
  explicit JsonLevelScanner(std::string_view s) : s_(s) {}

  // Scans the object at the start of the line (after spaces) for a level field.
  std::string_view Find() {
    SkipSpace();
    ScanObject(0);
    return found_;
  }

 private:
  static constexpr int kMaxDepth = 2;  // Loki's log_level_from_json_max_depth

  // REQUIRES: s_[pos_] == '{' (else returns false). Returns false on a syntax error or a find.
  bool ScanObject(int depth) {
    if (pos_ >= s_.size() || s_[pos_] != '{')
      return false;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      std::string_view key;
      if (!ReadString(&key))
        return false;
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':')
        return false;
      ++pos_;
      SkipSpace();
      if (pos_ >= s_.size())
        return false;
      char c = s_[pos_];
      if (c == '"') {
        std::string_view value;
        if (!ReadString(&value))
          return false;
        if (IsLevelField(key)) {
          found_ = value;
          return false;  // stop: found
        }
      } else if (c == '{' && depth + 1 < kMaxDepth) {
        if (!ScanObject(depth + 1))
          return false;
      } else if (!SkipValue()) {
        return false;
      }
      SkipSpace();
      if (pos_ >= s_.size())
        return false;
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return false;
    }
  }

  static bool IsLevelField(std::string_view key) {
    for (std::string_view f : kLevelFields) {
      if (key == f)
        return true;
    }
    return false;
  }

  bool ReadString(std::string_view* out) {
    if (pos_ >= s_.size() || s_[pos_] != '"')
      return false;
    size_t start = ++pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == '"') {
        *out = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      ++pos_;
    }
    return false;
  }

  // Skips a scalar, array or object (iteratively, so deep nesting cannot overflow the stack).
  bool SkipValue() {
    char c = s_[pos_];
    if (c != '{' && c != '[') {
      size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '}' && s_[pos_] != ']' &&
             !IsAsciiSpace(s_[pos_])) {
        ++pos_;
      }
      return pos_ > start;
    }
    int nesting = 0;
    while (pos_ < s_.size()) {
      c = s_[pos_];
      if (c == '"') {
        std::string_view ignored;
        if (!ReadString(&ignored))
          return false;
        continue;
      }
      if (c == '{' || c == '[')
        ++nesting;
      if (c == '}' || c == ']') {
        if (--nesting == 0) {
          ++pos_;
          return true;
        }
      }
      ++pos_;
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < s_.size() && IsAsciiSpace(s_[pos_]))
      ++pos_;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string_view found_;
};

// go-logfmt style scan for the first-priority level key; returns the raw value.
std::string_view LogfmtLevel(std::string_view s) {
  // Index of the first kLevelFields entry equal (case-insensitively) to key, or -1.
  auto priority = [](std::string_view key) {
    for (size_t i = 0; i < kLevelFields.size(); ++i) {
      if (EqualFold(key, kLevelFields[i]))
        return static_cast<int>(i);
    }
    return -1;
  };
  size_t pos = 0;
  int best = static_cast<int>(kLevelFields.size());
  std::string_view result;
  while (true) {
    while (pos < s.size() && static_cast<unsigned char>(s[pos]) <= ' ')
      ++pos;
    if (pos >= s.size())
      break;
    size_t start = pos;
    while (pos < s.size() && static_cast<unsigned char>(s[pos]) > ' ' && s[pos] != '=' &&
           s[pos] != '"') {
      ++pos;
    }
    if (pos < s.size() && s[pos] == '"')
      break;  // syntax error: stop
    std::string_view key = s.substr(start, pos - start);
    if (key.empty())
      break;  // unexpected '='
    std::string_view value;
    if (pos < s.size() && s[pos] == '=') {
      ++pos;
      if (pos < s.size() && s[pos] == '"') {
        size_t vstart = ++pos;
        while (pos < s.size() && s[pos] != '"')
          pos += (s[pos] == '\\') ? 2 : 1;
        if (pos >= s.size())
          break;  // unterminated quote
        value = s.substr(vstart, pos - vstart);
        ++pos;
      } else {
        size_t vstart = pos;
        while (pos < s.size() && static_cast<unsigned char>(s[pos]) > ' ' && s[pos] != '"')
          ++pos;
        value = s.substr(vstart, pos - vstart);
      }
    }
    int p = priority(key);
    if (p >= 0 && p < best) {
      best = p;
      result = value;
      if (p == 0)
        break;
    }
  }
  return result;
}

bool IsLeftBoundary(std::string_view s, size_t pos_plus_one) {
  if (pos_plus_one == 0)
    return true;
  switch (s[pos_plus_one - 1]) {
    case ' ':
    case '\t':
    case '\n':
    case '[':
    case '(':
    case '{':
    case '"':
    case '\'':
    case '=':
    case '|':
      return true;
    default:
      return false;
  }
}

bool IsRightBoundary(std::string_view s, size_t pos) {
  if (pos >= s.size())
    return true;
  switch (s[pos]) {
    case ' ':
    case '\t':
    case '\n':
    case '[':
    case ']':
    case '(':
    case ')':
    case '{':
    case '}':
    case ':':
    case ',':
    case '!':
    case '"':
    case '\'':
    case '=':
    case '|':
      return true;
    default:
      return false;
  }
}

size_t IndexOfBounded(std::string_view lower, std::string_view word, size_t limit) {
  size_t offset = 0;
  while (true) {
    size_t pos = lower.find(word, offset);
    if (pos == std::string_view::npos || pos >= limit)
      return std::string_view::npos;
    if (IsLeftBoundary(lower, pos) && IsRightBoundary(lower, pos + word.size()))
      return pos;
    offset = pos + 1;
  }
}

std::string_view LevelFromLine(std::string_view line) {
  std::string_view raw;
  if (LooksLikeJson(line)) {
    raw = JsonLevelScanner(line).Find();
  } else if (line.find('=') != std::string_view::npos) {
    raw = LogfmtLevel(line);
  } else {
    return DetectLevelFromKeywords(line);
  }
  std::string_view known = KnownLevel(raw);
  return known.empty() ? DetectLevelFromKeywords(line) : known;
}

}  // namespace

std::string_view DetectLevelFromKeywords(std::string_view line) {
  static constexpr std::pair<std::string_view, std::string_view> kPatterns[] = {
      {"trace", "trace"},       {"debug", "debug"}, {"fatal", "fatal"},
      {"critical", "critical"}, {"error", "error"}, {"err", "error"},
      {"warning", "warn"},      {"warn", "warn"},   {"info", "info"}};
  thread_local std::string lower;
  lower.resize(line.size());
  for (size_t i = 0; i < line.size(); ++i)
    lower[i] = Lower(line[i]);
  std::string_view l = lower;
  size_t best = l.size() + 1;
  std::string_view guess = "unknown";
  for (const auto& [word, level] : kPatterns) {
    size_t pos = IndexOfBounded(l, word, best);
    if (pos == std::string_view::npos)
      continue;
    best = pos;
    guess = level;
    if (pos == 0)
      break;
  }
  return guess;
}

bool NormalizeExistingLevel(std::vector<Label>* metadata) {
  for (Label& l : *metadata) {
    if (l.name == kDetectedLevel) {
      std::string_view known = KnownLevel(l.value);
      if (!known.empty())
        l.value.assign(known);
      return true;
    }
  }
  return false;
}

std::string DetectLevel(const Labels& labels, const std::vector<Label>& metadata,
                        std::string_view line) {
  if (FindLabel(metadata, kDetectedLevel) != nullptr)
    return {};
  for (std::string_view f : kLevelFields) {
    std::string_view v = labels.Get(f);
    if (!v.empty())
      return NormalizeLevel(v);
  }
  for (std::string_view f : kLevelFields) {
    if (const Label* l = FindLabel(metadata, f))
      return NormalizeLevel(l->value);
  }
  if (const Label* l = FindLabel(metadata, "severity_number")) {
    return std::string(LevelFromSeverityNumber(l->value));
  }
  return std::string(LevelFromLine(line));
}

}  // namespace sluice::ingest
