// LogfmtDecoder: Loki's logfmt scanner (adapted go-logfmt): key/value pairs with Loki's error
// positions and texts ("logfmt syntax error at pos 5 : unexpected '='").
// Thread-safety: none; reuse one per parser stage (no allocation in steady state).
#pragma once

#include <string>
#include <string_view>

namespace sluice::logql::log {

class LogfmtDecoder {
 public:
  void Reset(std::string_view line) {
    line_ = line;
    pos_ = 0;
    err_.clear();
  }

  bool EOL() const { return pos_ >= line_.size(); }

  // Advances to the next pair; false on a malformed pair (err() then says why) or at the end.
  bool ScanKeyval();

  std::string_view key() const { return key_; }

  // The value, unquoted and unescaped (may view an internal buffer).
  std::string_view value() const { return value_; }

  // "" when no error happened since Reset.
  const std::string& err() const { return err_; }

 private:
  void SyntaxError(std::string_view msg);
  void UnexpectedByte(char c);
  bool SkipValue();

  std::string_view line_;
  size_t pos_ = 0;
  std::string_view key_;
  std::string_view value_;
  std::string unquoted_;
  std::string err_;
};

// Unquotes a JSON-style quoted string (with the quotes) into *out; false if malformed.
bool UnquoteJsonString(std::string_view quoted, std::string* out);

}  // namespace sluice::logql::log
