// Pattern: Loki's `pattern` expressions (`<ip> - <_> "<method> <path>"`), used by the pattern
// parser and by the `|>` / `!>` line filters. A pattern is literals and captures; `<_>` is an
// unnamed capture.
// Thread-safety: immutable after Parse; Matches writes into a caller-owned vector.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::logql::log {

class Pattern {
 public:
  // For the parser: needs >= 1 named capture, no consecutive captures, unique names.
  static Result<Pattern> ParseForParser(std::string_view text);
  // For line filters: no named captures and no consecutive captures; "" matches only "".
  static Result<Pattern> ParseForLineFilter(std::string_view text);

  // Names of the named captures, in order.
  const std::vector<std::string>& names() const { return names_; }

  // Captured values of the named captures (a prefix of names() when the line ends early);
  // empty when the leading literal does not start the line. Views point into `line`.
  void Matches(std::string_view line, std::vector<std::string_view>* captures) const;
  // Whole-line match for `|>`.
  bool Test(std::string_view line) const;

 private:
  struct Node {
    bool capture = false;
    std::string text;  // literal text, or capture name ("_" for unnamed)
  };

  static Result<Pattern> Parse(std::string_view text);

  std::vector<Node> nodes_;
  std::vector<std::string> names_;
};

}  // namespace sluice::logql::log
