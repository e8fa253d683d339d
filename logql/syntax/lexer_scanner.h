// The LogQL lexer's scanner (internal to logql/syntax; the API is Lex() in lexer.h). Its
// members live by what they scan: lexer.cc (the token loop, spaces, comments, operators,
// identifiers), lexer_numbers.cc (numbers, durations, byte sizes, `-`, `[range]`),
// lexer_strings.cc ("..." with Go escapes, `raw`, '...' char literals); the vocabulary is in
// lexer_words.h.
// Thread-safety: one Scanner per Lex() call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logql/syntax/lexer.h"
#include "logql/syntax/unicode_util.h"

namespace sluice::logql::syntax::scan {

inline bool IsAsciiDigit(int32_t r) {
  return r >= '0' && r <= '9';
}

// The value of a hex digit, 99 for anything else.
inline int HexValue(int32_t r) {
  if (r >= '0' && r <= '9')
    return r - '0';
  if (r >= 'a' && r <= 'f')
    return r - 'a' + 10;
  if (r >= 'A' && r <= 'F')
    return r - 'A' + 10;
  return 99;
}

class Scanner {
 public:
  explicit Scanner(std::string_view in) : in_(in) {}

  std::vector<Token> Run();

 private:
  bool AtEnd() const { return pos_ >= in_.size(); }

  int32_t Peek(size_t at, size_t* len) const {
    if (at >= in_.size()) {
      *len = 0;
      return -1;
    }
    return DecodeRune(in_, at, len);
  }

  int32_t Cur() const {
    size_t len;
    return Peek(pos_, &len);
  }

  void Advance();

  Token Make(TokenType type, std::string text, bool valid_line = true) const {
    Token t;
    t.type = type;
    t.text = std::move(text);
    t.line = valid_line ? tok_line_ : 0;
    t.col = tok_col_;
    return t;
  }

  Token Error(std::string msg, bool valid_line = true) const {
    return Make(TokenType::kError, std::move(msg), valid_line);
  }

  // Skips whitespace and comments; returns an error message for an unterminated comment.
  bool SkipSpaceAndComments(std::string* err);

  Token Next();

  Token Identifier();

  size_t SkipSpaces(size_t at) const;

  bool StartsWithWord(size_t at, std::string_view word) const;

  // Loki's isFunction: the next non-space text is `(`, or `by`/`without` then `(`.
  bool FollowedByCall() const;

  // Scans digits of `base` (and '_'); sets bit 1 of *seen for a digit, bit 2 for '_'.
  void Digits(int base, int* seen, int32_t* invalid);

  // Go text/scanner's scanNumber, then Loki's duration / bytes suffix rules.
  Token Number();

  static bool ValidSeparators(std::string_view lit);

  // Collects the runes after pos_ accepted by `accept` (stopping at space or EOF).
  template <typename Accept>
  size_t SuffixEnd(Accept accept) const {
    size_t at = pos_;
    while (at < in_.size()) {
      size_t len;
      int32_t r = Peek(at, &len);
      if (IsSpaceRune(r) || !(IsAsciiDigit(r) || r == '.' || accept(r)))
        break;
      at += len;
    }
    return at;
  }

  void AdvanceTo(size_t end);

  // Loki's tryScanDuration / tryScanBytes after a number (or a lone '-').
  bool TryDuration(const std::string& head, Token* out);

  Token NumberSuffix(std::string text);

  Token Minus();

  Token Range();

  // Reads exactly n hex/octal digits for an escape; false if fewer.
  bool EscapeDigits(int base, int n, uint32_t* value);

  // A "..." string: Go escapes, scanned as text/scanner does, unquoted as strconv does.
  Token QuotedString();

  Token RawString();

  // '…' is a Go char literal: lexed, then handed to the grammar as an IDENTIFIER.
  Token CharLiteral();

  std::string_view in_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  int tok_line_ = 1;
  int tok_col_ = 1;
};

}  // namespace sluice::logql::syntax::scan
