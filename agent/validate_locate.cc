#include "agent/validate_locate.h"

#include <string>
#include <vector>

namespace sluice::agent {

namespace {

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    ++i;
  return i;
}

// s[i] == '"': returns the index after the closing quote; `out` gets the raw (still escaped)
// contents.
size_t SkipString(std::string_view s, size_t i, std::string_view* out) {
  size_t start = ++i;
  while (i < s.size() && s[i] != '"')
    i += s[i] == '\\' ? 2 : 1;
  if (out != nullptr)
    *out = s.substr(start, std::min(i, s.size()) - start);
  return std::min(i + 1, s.size());
}

size_t SkipValue(std::string_view s, size_t i) {
  i = SkipSpace(s, i);
  if (i >= s.size())
    return i;
  if (s[i] == '"')
    return SkipString(s, i, nullptr);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"') {
        i = SkipString(s, i, nullptr);
        continue;
      }
      if (c == '{' || c == '[')
        ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0)
          return i + 1;
      }
      ++i;
    }
    return i;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ')
    ++i;
  return i;
}

// The member name as JSON Schema sees it; handles the common escapes.
std::string Unescape(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      out.push_back(raw[i]);
      continue;
    }
    char c = raw[++i];
    switch (c) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      default:
        out.push_back(c);
        break;
    }
  }
  return out;
}

std::vector<std::string> Tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < pointer.size() && pointer[i] == '/') {
    size_t next = pointer.find('/', i + 1);
    std::string_view raw =
        pointer.substr(i + 1, next == std::string_view::npos ? pointer.npos : next - i - 1);
    std::string t;
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~' && k + 1 < raw.size()) {
        t.push_back(raw[k + 1] == '1' ? '/' : '~');
        ++k;
      } else {
        t.push_back(raw[k]);
      }
    }
    tokens.push_back(std::move(t));
    if (next == std::string_view::npos)
      break;
    i = next;
  }
  return tokens;
}

}  // namespace

size_t LocateJsonPointer(std::string_view json, std::string_view pointer) {
  size_t i = SkipSpace(json, 0);
  for (const std::string& token : Tokens(pointer)) {
    if (i >= json.size())
      return 0;
    if (json[i] == '{') {
      i = SkipSpace(json, i + 1);
      bool found = false;
      while (i < json.size() && json[i] == '"') {
        std::string_view raw;
        i = SkipString(json, i, &raw);
        i = SkipSpace(json, i);
        if (i < json.size() && json[i] == ':')
          i = SkipSpace(json, i + 1);
        if (Unescape(raw) == token) {
          found = true;
          break;
        }
        i = SkipSpace(json, SkipValue(json, i));
        if (i < json.size() && json[i] == ',')
          i = SkipSpace(json, i + 1);
      }
      if (!found)
        return 0;
    } else if (json[i] == '[') {
      size_t index = std::strtoull(token.c_str(), nullptr, 10);
      i = SkipSpace(json, i + 1);
      for (size_t k = 0; k < index && i < json.size(); ++k) {
        i = SkipSpace(json, SkipValue(json, i));
        if (i < json.size() && json[i] == ',')
          i = SkipSpace(json, i + 1);
      }
    } else {
      return 0;
    }
  }
  return i < json.size() ? i : 0;
}

}  // namespace sluice::agent
