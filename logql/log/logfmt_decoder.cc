#include "logql/log/logfmt_decoder.h"

#include <cstdio>

#include "logql/syntax/unicode_util.h"

namespace sluice::logql::log {
namespace {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size())
      return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
        return false;
    }
    i += n;
  }
  return true;
}

int Hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size())
    return -1;
  int v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = s[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

bool UnquoteJsonString(std::string_view q, std::string* out) {
  out->clear();
  if (q.size() < 2 || q.front() != '"' || q.back() != '"')
    return false;
  q = q.substr(1, q.size() - 2);
  for (size_t i = 0; i < q.size();) {
    char c = q[i];
    if (c == '"')
      return false;
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= q.size())
      return false;
    char e = q[i + 1];
    i += 2;
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case '\'':
        out->push_back(e);
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        int r = Hex4(q, i);
        if (r < 0)
          return false;
        i += 4;
        uint32_t rune = static_cast<uint32_t>(r);
        if (rune >= 0xD800 && rune < 0xDC00) {
          int r2 = i + 1 < q.size() && q[i] == '\\' && q[i + 1] == 'u' ? Hex4(q, i + 2) : -1;
          if (r2 >= 0xDC00 && r2 < 0xE000) {
            rune = 0x10000 + ((rune - 0xD800) << 10) + (static_cast<uint32_t>(r2) - 0xDC00);
            i += 6;
          } else {
            rune = 0xFFFD;
          }
        } else if (rune >= 0xDC00 && rune < 0xE000) {
          rune = 0xFFFD;
        }
        syntax::AppendRune(static_cast<int32_t>(rune), out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

void LogfmtDecoder::SyntaxError(std::string_view msg) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "logfmt syntax error at pos %zu : ", pos_ + 1);
  err_.assign(buf).append(msg);
}

void LogfmtDecoder::UnexpectedByte(char c) {
  std::string msg = "unexpected '";
  if (c == '\'') {
    msg += "\\'";
  } else {
    msg.push_back(c);
  }
  msg += "'";
  SyntaxError(msg);
}

bool LogfmtDecoder::SkipValue() {
  while (pos_ < line_.size() && static_cast<unsigned char>(line_[pos_]) > ' ')
    ++pos_;
  return false;
}

bool LogfmtDecoder::ScanKeyval() {
  key_ = {};
  value_ = {};
  const std::string_view line = line_;
  auto le_space = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
  while (pos_ < line.size() && le_space(line[pos_]))
    ++pos_;
  if (pos_ >= line.size())
    return false;

  size_t start = pos_;
  bool multibyte = false;
  for (; pos_ < line.size(); ++pos_) {
    char c = line[pos_];
    if (c == '=') {
      if (pos_ > start) {
        key_ = line.substr(start, pos_ - start);
        if (multibyte && !IsValidUtf8(key_)) {
          SyntaxError("invalid key");
          return SkipValue();
        }
      }
      if (key_.empty()) {
        UnexpectedByte(c);
        return SkipValue();
      }
      break;
    }
    if (c == '"') {
      UnexpectedByte(c);
      return SkipValue();
    }
    if (le_space(c)) {
      key_ = line.substr(start, pos_ - start);
      if (multibyte && !IsValidUtf8(key_)) {
        SyntaxError("invalid key");
        return false;
      }
      return true;
    }
    if (static_cast<unsigned char>(c) >= 0x80)
      multibyte = true;
  }
  if (pos_ >= line.size()) {  // key at end of line
    key_ = line.substr(start);
    if (multibyte && !IsValidUtf8(key_)) {
      SyntaxError("invalid key");
      return false;
    }
    return true;
  }
  // equal sign
  ++pos_;
  if (pos_ >= line.size() || le_space(line[pos_]))
    return true;
  if (line[pos_] != '"') {
    start = pos_;
    for (; pos_ < line.size(); ++pos_) {
      char c = line[pos_];
      if (c == '=' || c == '"') {
        UnexpectedByte(c);
        return SkipValue();
      }
      if (le_space(c))
        break;
    }
    value_ = line.substr(start, pos_ - start);
    return true;
  }
  // quoted value
  start = pos_;
  bool has_esc = false, esc = false;
  for (size_t p = pos_ + 1; p < line.size(); ++p) {
    char c = line[p];
    if (esc) {
      esc = false;
    } else if (c == '\\') {
      has_esc = esc = true;
    } else if (c == '"') {
      pos_ = p + 1;
      if (has_esc) {
        if (!UnquoteJsonString(line.substr(start, pos_ - start), &unquoted_)) {
          SyntaxError("invalid quoted value");
          return false;
        }
        value_ = unquoted_;
      } else {
        value_ = line.substr(start + 1, pos_ - start - 2);
      }
      return true;
    }
  }
  pos_ = line.size();
  SyntaxError("unterminated quoted value");
  return false;
}

}  // namespace sluice::logql::log
