// Scanner members for numbers, durations, byte sizes, `-` and `[range]` (lexer_scanner.h).
#include <string>
#include <string_view>

#include "common/time_util.h"
#include "logql/syntax/lexer_scanner.h"
#include "logql/syntax/lexer_words.h"

namespace sluice::logql::syntax::scan {

void Scanner::Digits(int base, int* seen, int32_t* invalid) {
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

Token Scanner::Number() {
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

bool Scanner::ValidSeparators(std::string_view lit) {
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

void Scanner::AdvanceTo(size_t end) {
  while (pos_ < end)
    Advance();
}

bool Scanner::TryDuration(const std::string& head, Token* out) {
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

Token Scanner::NumberSuffix(std::string text) {
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

Token Scanner::Minus() {
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

Token Scanner::Range() {
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

}  // namespace sluice::logql::syntax::scan
