#include "logql/drilldown/tokenizer.h"

#include <cstring>

#include <re2/re2.h>
#include <simdjson.h>

#include "logql/log/logfmt_decoder.h"

namespace sluice::logql::drilldown {

namespace {

// Go's unicode.IsPunct for ASCII.
bool IsAsciiPunct(char c) {
  return std::strchr("!\"#%&'()*,-./:;?@[\\]_{}", c) != nullptr && c != '\0';
}

// ---- punctuation ----

class PunctuationTokenizer : public LineTokenizer {
 public:
  explicit PunctuationTokenizer(size_t max_line_length) : max_line_length_(max_line_length) {}

  bool Tokenize(std::string_view line, TokenizedLine* out) override {
    out->tokens.clear();
    out->spaces_after.clear();
    if (line.size() > max_line_length_)
      return false;
    size_t start = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (out->tokens.size() >= 127)
        break;
      char c = line[i];
      auto uc = static_cast<unsigned char>(c);
      // Letters, digits, non-ASCII (taken as letters) and the kept delimiters continue a token.
      if (uc >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ':' || c == '/') {
        continue;
      }
      if (c != ' ' && c != '=' && !IsAsciiPunct(c))
        continue;  // symbols ($ + < > ^ ` | ~) and control characters stay inside tokens
      if (i > start)
        out->tokens.push_back(line.substr(start, i - start));
      if (c == ' ') {
        out->spaces_after.push_back(static_cast<int>(out->tokens.size()) - 1);
      } else {
        out->tokens.push_back(line.substr(i, 1));
      }
      start = i + 1;
    }
    if (start < line.size())
      out->tokens.push_back(line.substr(start));
    return true;
  }

  std::string Join(const std::vector<std::string>& tokens,
                   const std::vector<int>& spaces_after) const override {
    std::string s;
    size_t si = 0;
    // A leading space is recorded as "after token -1".
    while (si < spaces_after.size() && spaces_after[si] < 0) {
      s.push_back(' ');
      ++si;
    }
    for (size_t i = 0; i < tokens.size(); ++i) {
      s += tokens[i];
      while (si < spaces_after.size() && spaces_after[si] == static_cast<int>(i)) {
        s.push_back(' ');
        ++si;
      }
    }
    return s;
  }

 private:
  size_t max_line_length_;
};

// ---- logfmt ----

bool IsVariableKey(std::string_view key) {
  auto ieq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size())
      return false;
    for (size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z')
        x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z')
        y = static_cast<char>(y - 'A' + 'a');
      if (x != y)
        return false;
    }
    return true;
  };
  return ieq(key, "ts") || key == "t" || ieq(key, "traceID") || ieq(key, "time") ||
         ieq(key, "timestamp");
}

// go-logfmt's value encoding: quoted when it holds a space, '=', '"' or a control character.
void AppendLogfmtValue(std::string_view v, std::string* out) {
  bool quote = false;
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == '"')
      quote = true;
  }
  if (!quote) {
    *out += v;
    return;
  }
  out->push_back('"');
  for (char c : v) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < ' ') {
          static constexpr char kHex[] = "0123456789abcdef";
          *out += "\\u00";
          out->push_back(kHex[(c >> 4) & 0xf]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

class LogfmtTokenizer : public LineTokenizer {
 public:
  LogfmtTokenizer(std::string placeholder, size_t max_line_length)
      : placeholder_(std::move(placeholder)), max_line_length_(max_line_length) {}

  bool Tokenize(std::string_view line, TokenizedLine* out) override {
    out->tokens.clear();
    out->spaces_after.clear();
    if (line.size() > max_line_length_)
      return false;
    // Values may be unescaped into the decoder's buffer: keep copies valid for the line.
    values_.clear();
    dec_.Reset(line);
    std::vector<std::pair<std::string_view, size_t>> pairs;
    while (!dec_.EOL() && dec_.ScanKeyval()) {
      values_.emplace_back(dec_.value());
      pairs.emplace_back(dec_.key(), values_.size() - 1);
    }
    if (!dec_.err().empty())
      return false;
    for (const auto& [key, vi] : pairs) {
      out->tokens.push_back(key);
      out->tokens.push_back(IsVariableKey(key) ? std::string_view(placeholder_)
                                               : std::string_view(values_[vi]));
    }
    return true;
  }

  std::string Join(const std::vector<std::string>& tokens,
                   const std::vector<int>& /*spaces_after*/) const override {
    std::string s;
    for (size_t i = 0; i < tokens.size(); i += 2) {
      std::string_view key = tokens[i];
      if (key.empty())
        return "";
      for (char c : key) {
        if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == '"')
          return "";  // go-logfmt's ErrInvalidKey fails the whole encoding
      }
      if (!s.empty())
        s.push_back(' ');
      s += key;
      s.push_back('=');
      if (i + 1 < tokens.size())
        AppendLogfmtValue(tokens[i + 1], &s);
    }
    return s;
  }

 private:
  std::string placeholder_;
  size_t max_line_length_;
  log::LogfmtDecoder dec_;
  std::vector<std::string> values_;
};

// ---- json ----

class JsonTokenizer : public LineTokenizer {
 public:
  JsonTokenizer(std::string placeholder, size_t max_line_length)
      : placeholder_(std::move(placeholder)),
        max_line_length_(max_line_length),
        inner_(max_line_length) {}

  bool Tokenize(std::string_view line, TokenizedLine* out) override {
    out->tokens.clear();
    out->spaces_after.clear();
    static constexpr std::string_view kFields[] = {"log",  "message", "msg",
                                                   "msg_", "_msg",    "content"};
    buf_.assign(line.begin(), line.end());
    buf_.resize(line.size() + simdjson::SIMDJSON_PADDING, '\0');
    simdjson::ondemand::document doc;
    if (parser_.iterate(buf_.data(), line.size(), buf_.size()).get(doc))
      return false;
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj))
      return false;
    size_t best = std::size(kFields);
    std::string_view found;
    for (auto field_result : obj) {
      simdjson::ondemand::field field;
      if (std::move(field_result).get(field))
        return false;
      std::string_view key;
      if (field.unescaped_key().get(key))
        return false;
      for (size_t k = 0; k < best; ++k) {
        if (key != kFields[k])
          continue;
        simdjson::ondemand::json_type t;
        if (field.value().type().get(t) || t != simdjson::ondemand::json_type::string)
          break;
        std::string_view raw = field.value().raw_json_token();
        size_t close = raw.rfind('"');
        if (close == 0 || close == std::string_view::npos)
          break;
        found = raw.substr(1, close - 1);  // raw, escapes kept (jsonparser.Get)
        best = k;
        break;
      }
    }
    if (best == std::size(kFields) || found.size() > max_line_length_)
      return false;
    return inner_.Tokenize(found, out);
  }

  std::string Join(const std::vector<std::string>& tokens,
                   const std::vector<int>& spaces_after) const override {
    return placeholder_ + inner_.Join(tokens, spaces_after) + placeholder_;
  }

 private:
  std::string placeholder_;
  size_t max_line_length_;
  PunctuationTokenizer inner_;
  simdjson::ondemand::parser parser_;
  std::string buf_;
};

}  // namespace

LineFormat DetectLogFormat(std::string_view line) {
  static const re2::RE2 kLogfmt(R"re(^(\w+?=([^"]\S*?|".+?") )*?(\w+?=([^"]\S*?|".+?"))+$)re");
  if (line.size() < 2)
    return LineFormat::kUnknown;
  if (line.front() == '{' && line.back() == '}')
    return LineFormat::kJson;
  if (re2::RE2::FullMatch(re2::StringPiece(line.data(), line.size()), kLogfmt))
    return LineFormat::kLogfmt;
  return LineFormat::kUnknown;
}

std::string_view LineFormatName(LineFormat f) {
  switch (f) {
    case LineFormat::kLogfmt:
      return "logfmt";
    case LineFormat::kJson:
      return "json";
    case LineFormat::kUnknown:
      break;
  }
  return "unknown";
}

std::unique_ptr<LineTokenizer> NewLineTokenizer(LineFormat format, std::string placeholder,
                                                size_t max_line_length) {
  switch (format) {
    case LineFormat::kLogfmt:
      return std::make_unique<LogfmtTokenizer>(std::move(placeholder), max_line_length);
    case LineFormat::kJson:
      return std::make_unique<JsonTokenizer>(std::move(placeholder), max_line_length);
    case LineFormat::kUnknown:
      break;
  }
  return std::make_unique<PunctuationTokenizer>(max_line_length);
}

std::string DeduplicatePlaceholders(std::string_view s, std::string_view placeholder) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, placeholder.size(), placeholder) == 0) {
      out += placeholder;
      i += placeholder.size();
      while (s.compare(i, placeholder.size(), placeholder) == 0)
        i += placeholder.size();
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

}  // namespace sluice::logql::drilldown
