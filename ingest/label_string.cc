#include "ingest/label_string.h"

#include <string>

namespace sluice::ingest {

namespace {

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A recursive-descent parser over the label-string grammar; positions in errors are 1-based
// columns as in Prometheus' parser messages.
class Parser {
 public:
  Parser(std::string_view s, std::vector<Label>* out) : s_(s), out_(out) {}

  Status Parse() {
    SkipSpace();
    if (pos_ < s_.size() && IsNameStart(s_[pos_])) {
      std::string name = ReadName();
      out_->push_back(Label{"__name__", std::move(name)});
      SkipSpace();
      if (pos_ == s_.size())
        return Status::Ok();
    }
    if (!Consume('{'))
      return Error("unexpected character, expected \"{\"");
    while (true) {
      SkipSpace();
      if (Consume('}'))
        break;
      if (pos_ >= s_.size())
        return Error("unexpected end of input inside braces");
      if (!IsNameStart(s_[pos_])) {
        return Error("unexpected character inside braces, expected label name");
      }
      std::string name = ReadName();
      SkipSpace();
      if (!Consume('='))
        return Error("unexpected character after label name, expected \"=\"");
      SkipSpace();
      std::string value;
      SLUICE_RETURN_IF_ERROR(ReadQuoted(&value));
      out_->push_back(Label{std::move(name), std::move(value)});
      SkipSpace();
      if (Consume(','))
        continue;
      if (Consume('}'))
        break;
      return Error("unexpected character in label set, expected \",\" or \"}\"");
    }
    SkipSpace();
    if (pos_ != s_.size())
      return Error("unexpected characters after label set");
    return Status::Ok();
  }

 private:
  std::string ReadName() {
    size_t start = pos_;
    while (pos_ < s_.size() && IsNameChar(s_[pos_]))
      ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  Status ReadQuoted(std::string* out) {
    if (pos_ >= s_.size())
      return Error("unexpected end of input, expected label value");
    char quote = s_[pos_];
    if (quote != '"' && quote != '\'' && quote != '`') {
      return Error("unexpected character, expected quoted label value");
    }
    size_t start = pos_++;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == quote)
        return Status::Ok();
      if (quote == '`') {
        out->push_back(c);
        continue;
      }
      if (c == '\n')
        break;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      SLUICE_RETURN_IF_ERROR(ReadEscape(quote, out));
    }
    pos_ = start;
    return Error("unterminated quoted string");
  }

  Status ReadEscape(char quote, std::string* out) {
    if (pos_ >= s_.size())
      return Error("unterminated quoted string");
    char e = s_[pos_++];
    switch (e) {
      case 'a':
        out->push_back('\a');
        return Status::Ok();
      case 'b':
        out->push_back('\b');
        return Status::Ok();
      case 'f':
        out->push_back('\f');
        return Status::Ok();
      case 'n':
        out->push_back('\n');
        return Status::Ok();
      case 'r':
        out->push_back('\r');
        return Status::Ok();
      case 't':
        out->push_back('\t');
        return Status::Ok();
      case 'v':
        out->push_back('\v');
        return Status::Ok();
      case '\\':
        out->push_back('\\');
        return Status::Ok();
      case '"':
      case '\'':
        if (e != quote)
          break;
        out->push_back(e);
        return Status::Ok();
      case 'x':
        return ReadHex(2, /*as_byte=*/true, out);
      case 'u':
        return ReadHex(4, /*as_byte=*/false, out);
      case 'U':
        return ReadHex(8, /*as_byte=*/false, out);
      default:
        if (e >= '0' && e <= '7') {
          uint32_t v = e - '0';
          for (int i = 0; i < 2; ++i) {
            if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '7') {
              return Error("invalid octal escape in quoted string");
            }
            v = v * 8 + (s_[pos_++] - '0');
          }
          if (v > 255)
            return Error("invalid octal escape in quoted string");
          out->push_back(static_cast<char>(v));
          return Status::Ok();
        }
    }
    return Error("unknown escape sequence in quoted string");
  }

  Status ReadHex(int digits, bool as_byte, std::string* out) {
    uint32_t v = 0;
    for (int i = 0; i < digits; ++i) {
      int h = pos_ < s_.size() ? HexValue(s_[pos_]) : -1;
      if (h < 0)
        return Error("invalid hex escape in quoted string");
      v = v * 16 + static_cast<uint32_t>(h);
      ++pos_;
    }
    if (as_byte) {
      out->push_back(static_cast<char>(v));
    } else {
      if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) {
        return Error("invalid unicode escape in quoted string");
      }
      AppendUtf8(v, out);
    }
    return Status::Ok();
  }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  Status Error(std::string_view what) const {
    return InvalidArgumentError("1:" + std::to_string(pos_ + 1) +
                                ": parse error: " + std::string(what));
  }

  std::string_view s_;
  std::vector<Label>* out_;
  size_t pos_ = 0;
};

}  // namespace

Status ParseRawLabelString(std::string_view text, std::vector<Label>* out) {
  return Parser(text, out).Parse();
}

}  // namespace sluice::ingest
