#include "logql/syntax/lexer.h"

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "logql/syntax/ast.h"
#include "logql/syntax/lexer_words.h"
#include "logql/syntax/unicode_util.h"

namespace sluice::logql::syntax {

namespace {

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool IsAsciiDigit(int32_t r) {
  return r >= '0' && r <= '9';
}

int HexValue(int32_t r) {
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

  std::vector<Token> Run() {
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

  void Advance() {
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
  bool SkipSpaceAndComments(std::string* err) {
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

  Token Next() {
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

  Token Identifier() {
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

  size_t SkipSpaces(size_t at) const {
    while (at < in_.size()) {
      size_t len;
      int32_t r = Peek(at, &len);
      if (!IsSpaceRune(r))
        break;
      at += len;
    }
    return at;
  }

  bool StartsWithWord(size_t at, std::string_view word) const {
    if (at + word.size() > in_.size())
      return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if (Lower(in_[at + i]) != word[i])
        return false;
    }
    return true;
  }

  // Loki's isFunction: the next non-space text is `(`, or `by`/`without` then `(`.
  bool FollowedByCall() const {
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

  // Scans digits of `base` (and '_'); sets bit 1 of *seen for a digit, bit 2 for '_'.
  void Digits(int base, int* seen, int32_t* invalid) {
    while (!AtEnd()) {
      int32_t r = Cur();
      if (r == '_') {
        *seen |= 2;
      } else if (base <= 10 && IsAsciiDigit(r)) {
        *seen |= 1;
        if (r - '0' >= base && *invalid == 0)
          *invalid = r;
      } else if (base == 16 && HexValue(r) < 16) {
        *seen |= 1;
      } else {
        break;
      }
      Advance();
    }
  }

  // Go text/scanner's scanNumber, then Loki's duration / bytes suffix rules.
  Token Number() {
    size_t start = pos_;
    int base = 10;
    char prefix = 0;
    int seen = 0;
    int32_t invalid = 0;
    bool is_float = false;
    std::string error;
    if (Cur() != '.') {
      if (Cur() == '0') {
        Advance();
        int32_t r = AtEnd() ? -1 : Cur();
        int32_t lr = (r >= 'A' && r <= 'Z') ? r + 32 : r;
        if (lr == 'x') {
          Advance(), base = 16, prefix = 'x';
        } else if (lr == 'o') {
          Advance(), base = 8, prefix = 'o';
        } else if (lr == 'b') {
          Advance(), base = 2, prefix = 'b';
        } else {
          base = 8, prefix = '0', seen = 1;
        }
      }
      Digits(base, &seen, &invalid);
      if (!AtEnd() && Cur() == '.') {
        Advance();
        is_float = true;
      }
    } else {
      Advance();
      is_float = true;
    }
    auto lit_name = [&]() -> std::string {
      switch (prefix) {
        case 'x':
          return "hexadecimal literal";
        case 'o':
        case '0':
          return "octal literal";
        case 'b':
          return "binary literal";
        default:
          return "decimal literal";
      }
    };
    if (is_float) {
      if ((prefix == 'o' || prefix == 'b') && error.empty()) {
        error = "invalid radix point in " + lit_name();
      }
      Digits(base, &seen, &invalid);
    }
    if ((seen & 1) == 0 && error.empty())
      error = lit_name() + " has no digits";
    int32_t e = AtEnd() ? -1 : Cur();
    if (e == 'E' || e == 'P')
      e += 32;
    if (e == 'e' || e == 'p') {
      if (error.empty()) {
        if (e == 'e' && prefix != 0 && prefix != '0') {
          error = "'e' exponent requires decimal mantissa";
        } else if (e == 'p' && prefix != 'x') {
          error = "'p' exponent requires hexadecimal mantissa";
        }
      }
      Advance();
      is_float = true;
      if (!AtEnd() && (Cur() == '+' || Cur() == '-'))
        Advance();
      int exp_seen = 0;
      int32_t unused = 0;
      Digits(10, &exp_seen, &unused);
      seen |= exp_seen & 2;
      if ((exp_seen & 1) == 0 && error.empty())
        error = "exponent has no digits";
    } else if (prefix == 'x' && is_float && error.empty()) {
      error = "hexadecimal mantissa requires a 'p' exponent";
    }
    if (!is_float && invalid != 0 && error.empty()) {
      error = std::string("invalid digit '") + static_cast<char>(invalid) + "' in " + lit_name();
    }
    std::string text(in_.substr(start, pos_ - start));
    if (error.empty() && (seen & 2) != 0 && !ValidSeparators(text)) {
      error = "'_' must separate successive digits";
    }
    if (!error.empty())
      return Error(error);
    return NumberSuffix(std::move(text));
  }

  static bool ValidSeparators(std::string_view lit) {
    // Go's invalidSep, simplified: '_' must sit between digits (or after the base prefix).
    for (size_t i = 0; i < lit.size(); ++i) {
      if (lit[i] != '_')
        continue;
      bool prev_ok = i > 0 && (std::isxdigit(static_cast<unsigned char>(lit[i - 1])) ||
                               lit[i - 1] == 'x' || lit[i - 1] == 'X' || lit[i - 1] == 'o' ||
                               lit[i - 1] == 'O' || lit[i - 1] == 'b' || lit[i - 1] == 'B');
      bool next_ok = i + 1 < lit.size() && std::isxdigit(static_cast<unsigned char>(lit[i + 1]));
      if (!prev_ok || !next_ok)
        return false;
    }
    return true;
  }

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

  void AdvanceTo(size_t end) {
    while (pos_ < end)
      Advance();
  }

  // Loki's tryScanDuration / tryScanBytes after a number (or a lone '-').
  bool TryDuration(const std::string& head, Token* out) {
    size_t end = SuffixEnd(IsDurationRune);
    if (end == pos_)
      return false;
    std::string s = head + std::string(in_.substr(pos_, end - pos_));
    int64_t ns = 0;
    if (!ParseLexDuration(s, &ns))
      return false;
    AdvanceTo(end);
    *out = Make(TokenType::kDuration, s, /*valid_line=*/false);
    out->duration_ns = ns;
    return true;
  }

  Token NumberSuffix(std::string text) {
    Token t;
    if (TryDuration(text, &t))
      return t;
    size_t end = SuffixEnd(IsBytesRune);
    if (end != pos_) {
      std::string s = text + std::string(in_.substr(pos_, end - pos_));
      uint64_t b = 0;
      if (ParseHumanBytes(s, &b)) {
        AdvanceTo(end);
        t = Make(TokenType::kBytes, s, /*valid_line=*/false);
        t.bytes = b;
        return t;
      }
    }
    return Make(TokenType::kNumber, std::move(text));
  }

  Token Minus() {
    Advance();  // '-'
    if (!AtEnd() && in_[pos_] == '-') {
      size_t at = pos_;
      while (at < in_.size()) {
        size_t len;
        int32_t r = Peek(at, &len);
        if (!(r == '-' || IsLetterRune(r)))
          break;
        at += len;
      }
      std::string flag = "-" + std::string(in_.substr(pos_, at - pos_));
      if (flag == "--strict" || flag == "--keep-empty") {
        AdvanceTo(at);
        return Make(TokenType::kFlag, flag, /*valid_line=*/false);
      }
    }
    Token t;
    if (TryDuration("-", &t))
      return t;
    return Make(TokenType::kSub, "-");
  }

  Token Range() {
    Advance();  // '['
    size_t start = pos_;
    while (!AtEnd()) {
      if (in_[pos_] == ']') {
        std::string_view body = in_.substr(start, pos_ - start);
        Advance();
        int64_t ns = 0;
        std::string err;
        if (!ParsePrometheusDuration(body, &ns, &err))
          return Error(err, /*valid_line=*/false);
        Token t = Make(TokenType::kRange, std::string(body), /*valid_line=*/false);
        t.duration_ns = ns;
        return t;
      }
      Advance();
    }
    return Error("missing closing ']' in duration", /*valid_line=*/false);
  }

  // Reads exactly n hex/octal digits for an escape; false if fewer.
  bool EscapeDigits(int base, int n, uint32_t* value) {
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

  // A "..." string: Go escapes, scanned as text/scanner does, unquoted as strconv does.
  Token QuotedString() {
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
      uint32_t v = 0;
      bool ok = true;
      switch (c) {
        case 'a':
          value.push_back('\a'), Advance();
          break;
        case 'b':
          value.push_back('\b'), Advance();
          break;
        case 'f':
          value.push_back('\f'), Advance();
          break;
        case 'n':
          value.push_back('\n'), Advance();
          break;
        case 'r':
          value.push_back('\r'), Advance();
          break;
        case 't':
          value.push_back('\t'), Advance();
          break;
        case 'v':
          value.push_back('\v'), Advance();
          break;
        case '\\':
          value.push_back('\\'), Advance();
          break;
        case '"':
          value.push_back('"'), Advance();
          break;
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

  Token RawString() {
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

  // '…' is a Go char literal: lexed, then handed to the grammar as an IDENTIFIER.
  Token CharLiteral() {
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

  std::string_view in_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  int tok_line_ = 1;
  int tok_col_ = 1;
};

}  // namespace

std::vector<Token> Lex(std::string_view input) {
  return Scanner(input).Run();
}

}  // namespace sluice::logql::syntax
