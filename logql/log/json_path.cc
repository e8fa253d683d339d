#include "logql/log/json_path.h"

namespace sluice::logql::log {
namespace {

bool IsStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<std::vector<JsonPathPart>> ParseJsonPath(std::string_view expr) {
  auto fail = [&](std::string_view why) {
    return InvalidArgumentError("cannot parse expression [" + std::string(expr) +
                                "]: " + std::string(why));
  };
  std::vector<JsonPathPart> parts;
  size_t i = 0;
  bool expect_field = true;  // at start or after '.'
  bool after_dot = false;
  auto skip_ws = [&] {
    while (i < expr.size() && (expr[i] == ' ' || expr[i] == '\t' || expr[i] == '\n'))
      ++i;
  };
  skip_ws();
  if (i == expr.size())
    return fail("syntax error: unexpected $end");
  while (i < expr.size()) {
    char c = expr[i];
    if (IsStart(c)) {
      if (!expect_field)
        return fail("syntax error: unexpected FIELD");
      size_t s = i;
      while (i < expr.size() && (IsStart(expr[i]) || IsDigit(expr[i])))
        ++i;
      parts.push_back(JsonPathPart{false, std::string(expr.substr(s, i - s)), 0});
      expect_field = false;
      after_dot = false;
    } else if (c == '.') {
      if (expect_field)
        return fail("syntax error: unexpected DOT");
      ++i;
      expect_field = true;
      after_dot = true;
    } else if (c == '[') {
      if (after_dot)
        return fail("syntax error: unexpected LSB");
      ++i;
      skip_ws();
      if (i < expr.size() && expr[i] == '"') {
        ++i;
        size_t s = i;
        while (i < expr.size() && expr[i] != '"' && expr[i] != ']')
          ++i;
        parts.push_back(JsonPathPart{false, std::string(expr.substr(s, i - s)), 0});
        if (i < expr.size() && expr[i] == '"')
          ++i;
      } else if (i < expr.size() && IsDigit(expr[i])) {
        size_t n = 0;
        while (i < expr.size() && IsDigit(expr[i]))
          n = n * 10 + (expr[i++] - '0');
        if (i < expr.size() && expr[i] == '.')
          return fail("cannot use float as array index");
        parts.push_back(JsonPathPart{true, "", n});
      } else {
        return fail("syntax error: unexpected RSB");
      }
      skip_ws();
      if (i >= expr.size() || expr[i] != ']')
        return fail("syntax error: unexpected $end");
      ++i;
      expect_field = false;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      ++i;
    } else {
      return fail(std::string("unexpected char ") + c);
    }
  }
  if (expect_field)
    return fail("syntax error: unexpected $end");
  return parts;
}

}  // namespace sluice::logql::log
