#include "logql/syntax/lexer.h"

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "logql/syntax/lexer_scanner.h"
#include "logql/syntax/lexer_words.h"
#include "logql/syntax/unicode_util.h"

namespace sluice::logql::syntax {

namespace scan {
namespace {

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

std::vector<Token> Scanner::Run() {
  std::vector<Token> out;
  while (true) {
    Token t = Next();
    TokenType type = t.type;
    out.push_back(std::move(t));
    if (type == TokenType::kEnd || type == TokenType::kError)
      break;
  }
  return out;
}

void Scanner::Advance() {
  size_t len;
  int32_t r = Peek(pos_, &len);
  if (len == 0)
    return;
  pos_ += len;
  if (r == '\n') {
    ++line_;
    col_ = 1;
  } else {
    ++col_;
  }
}

bool Scanner::SkipSpaceAndComments(std::string* err) {
  while (!AtEnd()) {
    char c = in_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      Advance();
    } else if (c == '#') {
      while (!AtEnd() && in_[pos_] != '\n')
        Advance();
    } else if (c == '/' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '/') {
      while (!AtEnd() && in_[pos_] != '\n')
        Advance();
    } else if (c == '/' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '*') {
      tok_line_ = line_;
      tok_col_ = col_;
      Advance();
      Advance();
      bool closed = false;
      while (!AtEnd()) {
        if (in_[pos_] == '*' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '/') {
          Advance();
          Advance();
          closed = true;
          break;
        }
        Advance();
      }
      if (!closed) {
        *err = "comment not terminated";
        return false;
      }
    } else {
      break;
    }
  }
  return true;
}

Token Scanner::Next() {
  std::string err;
  if (!SkipSpaceAndComments(&err))
    return Error(err);
  tok_line_ = line_;
  tok_col_ = col_;
  if (AtEnd())
    return Make(TokenType::kEnd, "");
  size_t len;
  int32_t r = Peek(pos_, &len);
  if (r == kInvalidRune)
    return Error("invalid UTF-8 encoding");
  if (r == '_' || IsLetterRune(r))
    return Identifier();
  if (IsAsciiDigit(r) || (r == '.' && pos_ + 1 < in_.size() && IsAsciiDigit(in_[pos_ + 1]))) {
    return Number();
  }
  switch (r) {
    case '"':
      return QuotedString();
    case '`':
      return RawString();
    case '\'':
      return CharLiteral();
    case '[':
      return Range();
    case '-':
      return Minus();
    default:
      break;
  }
  if (pos_ + 1 < in_.size()) {
    std::string_view two = in_.substr(pos_, 2);
    if (const TokenType* type = TwoCharOperator(two)) {
      Advance();
      Advance();
      return Make(*type, std::string(two), /*valid_line=*/false);
    }
  }
  std::string text(in_.substr(pos_, len));
  Advance();
  if (const TokenType* type = OneCharOperator(text))
    return Make(*type, text);
  // Any other character is an IDENTIFIER token in Loki's lexer (so `!` alone or `:` is a
  // syntax error naming IDENTIFIER).
  return Make(TokenType::kIdentifier, text);
}

Token Scanner::Identifier() {
  size_t start = pos_;
  while (!AtEnd()) {
    size_t len;
    int32_t r = Peek(pos_, &len);
    if (r == '_' || IsLetterRune(r) || IsAsciiDigit(r)) {
      Advance();
    } else {
      break;
    }
  }
  std::string text(in_.substr(start, pos_ - start));
  std::string lower = ToLower(text);
  if (const FunctionWord* f = FindFunctionWord(lower)) {
    if (!FollowedByCall())
      return Make(TokenType::kIdentifier, text);
    Token t = Make(f->type, text);
    t.op = f->op;
    return t;
  }
  if (const TokenType* type = ReservedWord(lower))
    return Make(*type, text);
  return Make(TokenType::kIdentifier, text);
}

size_t Scanner::SkipSpaces(size_t at) const {
  while (at < in_.size()) {
    size_t len;
    int32_t r = Peek(at, &len);
    if (!IsSpaceRune(r))
      break;
    at += len;
  }
  return at;
}

bool Scanner::StartsWithWord(size_t at, std::string_view word) const {
  if (at + word.size() > in_.size())
    return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(in_[at + i]) != word[i])
      return false;
  }
  return true;
}

bool Scanner::FollowedByCall() const {
  size_t at = SkipSpaces(pos_);
  if (at >= in_.size())
    return false;
  if (in_[at] == '(')
    return true;
  for (std::string_view w : {std::string_view("by"), std::string_view("without")}) {
    if (StartsWithWord(at, w)) {
      size_t after = SkipSpaces(at + w.size());
      return after < in_.size() && in_[after] == '(';
    }
  }
  return false;
}

}  // namespace scan

std::vector<Token> Lex(std::string_view input) {
  return scan::Scanner(input).Run();
}

}  // namespace sluice::logql::syntax
