// Scanner members for string literals: "..." (Go escapes), `raw`, 'c' (lexer_scanner.h).
#include <string>
#include <string_view>

#include "logql/syntax/lexer_scanner.h"
#include "logql/syntax/lexer_words.h"

namespace sluice::logql::syntax::scan {

namespace {

// The byte a one-letter Go escape (\n, \t, \", ...) stands for; 0 if `c` is not one.
char SimpleEscape(char c) {
  switch (c) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    case '\\':
      return '\\';
    case '"':
      return '"';
    default:
      return 0;
  }
}

}  // namespace

bool Scanner::EscapeDigits(int base, int n, uint32_t* value) {
  *value = 0;
  for (int i = 0; i < n; ++i) {
    if (AtEnd())
      return false;
    int d = HexValue(Cur());
    if (d >= base)
      return false;
    *value = *value * base + d;
    Advance();
  }
  return true;
}

Token Scanner::QuotedString() {
  Advance();  // opening quote
  std::string value;
  std::string error;
  while (true) {
    if (AtEnd() || in_[pos_] == '\n')
      return Error("literal not terminated");
    size_t len;
    int32_t r = Peek(pos_, &len);
    if (r == kInvalidRune) {
      if (error.empty())
        error = "invalid UTF-8 encoding";
      Advance();
      continue;
    }
    if (r == '"') {
      Advance();
      break;
    }
    if (r != '\\') {
      value.append(in_.substr(pos_, len));
      Advance();
      continue;
    }
    Advance();  // backslash
    if (AtEnd())
      continue;
    char c = in_[pos_];
    if (char simple = SimpleEscape(c)) {
      value.push_back(simple);
      Advance();
      continue;
    }
    uint32_t v = 0;
    bool ok = true;
    switch (c) {
      case 'x':
        Advance();
        ok = EscapeDigits(16, 2, &v);
        if (ok)
          value.push_back(static_cast<char>(v));
        break;
      case 'u':
      case 'U':
        Advance();
        ok = EscapeDigits(16, c == 'u' ? 4 : 8, &v);
        if (ok) {
          if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            if (error.empty())
              error = "invalid syntax";
          } else {
            AppendRune(static_cast<int32_t>(v), &value);
          }
        }
        break;
      default:
        if (c >= '0' && c <= '7') {
          ok = EscapeDigits(8, 3, &v);
          if (ok && v > 255 && error.empty())
            error = "invalid syntax";
          if (ok)
            value.push_back(static_cast<char>(v));
        } else {
          ok = false;
        }
    }
    if (!ok && error.empty())
      error = "invalid char escape";
  }
  if (!error.empty())
    return Error(error);
  return Make(TokenType::kString, std::move(value));
}

Token Scanner::RawString() {
  Advance();
  size_t start = pos_;
  std::string error;
  while (true) {
    if (AtEnd())
      return Error("literal not terminated");
    size_t len;
    int32_t r = Peek(pos_, &len);
    if (r == kInvalidRune && error.empty())
      error = "invalid UTF-8 encoding";
    if (r == '`')
      break;
    Advance();
  }
  std::string value(in_.substr(start, pos_ - start));
  Advance();
  if (!error.empty())
    return Error(error);
  return Make(TokenType::kString, std::move(value));
}

Token Scanner::CharLiteral() {
  size_t start = pos_;
  Advance();
  int n = 0;
  while (true) {
    if (AtEnd() || in_[pos_] == '\n')
      return Error("literal not terminated");
    if (in_[pos_] == '\'') {
      Advance();
      break;
    }
    if (in_[pos_] == '\\')
      Advance();
    Advance();
    ++n;
  }
  if (n != 1)
    return Error("invalid char literal");
  return Make(TokenType::kIdentifier, std::string(in_.substr(start, pos_ - start)));
}

}  // namespace sluice::logql::syntax::scan
