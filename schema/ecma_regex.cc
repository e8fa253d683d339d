#include "schema/ecma_regex.h"

#include <cctype>
#include <cstdio>

namespace sluice::schema {

namespace {

// ECMA-262 WhiteSpace and LineTerminator, as RE2 class contents.
constexpr std::string_view kSpaceSet =
    "\\t\\n\\x{0b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}"
    "\\x{3000}\\x{feff}";
// Its complement over all code points, so that \S also works inside a class.
constexpr std::string_view kNonSpaceSet =
    "\\x{0}-\\x{8}\\x{e}-\\x{1f}\\x{21}-\\x{9f}\\x{a1}-\\x{167f}\\x{1681}-\\x{1fff}"
    "\\x{200b}-\\x{2027}\\x{202a}-\\x{202e}\\x{2030}-\\x{205e}\\x{2060}-\\x{2fff}"
    "\\x{3001}-\\x{fefe}\\x{ff00}-\\x{10ffff}";
constexpr std::string_view kDot = "[^\\n\\r\\x{2028}\\x{2029}]";

struct PropertyAlias {
  std::string_view ecma, re2;
};

constexpr PropertyAlias kPropertyAliases[] = {
    {"Letter", "L"},
    {"Cased_Letter", "L"},
    {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"},
    {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"},
    {"Mark", "M"},
    {"Nonspacing_Mark", "Mn"},
    {"Spacing_Mark", "Mc"},
    {"Enclosing_Mark", "Me"},
    {"Number", "N"},
    {"Decimal_Number", "Nd"},
    {"digit", "Nd"},
    {"Letter_Number", "Nl"},
    {"Other_Number", "No"},
    {"Punctuation", "P"},
    {"punct", "P"},
    {"Connector_Punctuation", "Pc"},
    {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"},
    {"Close_Punctuation", "Pe"},
    {"Initial_Punctuation", "Pi"},
    {"Final_Punctuation", "Pf"},
    {"Other_Punctuation", "Po"},
    {"Symbol", "S"},
    {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"},
    {"Modifier_Symbol", "Sk"},
    {"Other_Symbol", "So"},
    {"Separator", "Z"},
    {"Space_Separator", "Zs"},
    {"Line_Separator", "Zl"},
    {"Paragraph_Separator", "Zp"},
    {"Other", "C"},
    {"Control", "Cc"},
    {"cntrl", "Cc"},
    {"Format", "Cf"},
    {"Surrogate", "Cs"},
    {"Private_Use", "Co"},
    {"Unassigned", "Cn"},
};

std::string PropertyName(std::string_view name) {
  for (std::string_view prefix :
       {"General_Category=", "gc=", "Script_Extensions=", "scx=", "Script=", "sc="}) {
    if (name.substr(0, prefix.size()) == prefix) {
      name.remove_prefix(prefix.size());
      break;
    }
  }
  for (const PropertyAlias& a : kPropertyAliases) {
    if (a.ecma == name)
      return std::string(a.re2);
  }
  return std::string(name);
}

void AppendCodePoint(uint32_t cp, std::string* out) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\x{%x}", cp);
  out->append(buf);
}

bool ReadHex(std::string_view s, size_t pos, size_t n, uint32_t* value) {
  if (pos + n > s.size())
    return false;
  uint32_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return false;
    v = v * 16 + uint32_t(std::isdigit(static_cast<unsigned char>(c))
                              ? c - '0'
                              : (std::tolower(c) - 'a' + 10));
  }
  *value = v;
  return true;
}

// Translates the escape at s[i] == '\\'; returns the index after it.
size_t TranslateEscape(std::string_view s, size_t i, bool in_class, std::string* out) {
  if (i + 1 >= s.size()) {
    out->append("\\\\");
    return i + 1;
  }
  char c = s[i + 1];
  switch (c) {
    case 's':
      if (in_class) {
        out->append(kSpaceSet);
      } else {
        out->append("[").append(kSpaceSet).append("]");
      }
      return i + 2;
    case 'S':
      if (in_class) {
        out->append(kNonSpaceSet);
      } else {
        out->append("[").append(kNonSpaceSet).append("]");
      }
      return i + 2;
    case 'u': {
      uint32_t cp;
      if (i + 2 < s.size() && s[i + 2] == '{') {
        size_t close = s.find('}', i + 3);
        if (close != std::string_view::npos && ReadHex(s, i + 3, close - i - 3, &cp)) {
          AppendCodePoint(cp, out);
          return close + 1;
        }
      } else if (ReadHex(s, i + 2, 4, &cp)) {
        uint32_t low;
        if (cp >= 0xD800 && cp <= 0xDBFF && s.substr(i + 6, 2) == "\\u" &&
            ReadHex(s, i + 8, 4, &low) && low >= 0xDC00 && low <= 0xDFFF) {
          AppendCodePoint(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00), out);
          return i + 12;
        }
        AppendCodePoint(cp, out);
        return i + 6;
      }
      out->push_back('u');
      return i + 2;
    }
    case 'c':
      if (i + 2 < s.size() && std::isalpha(static_cast<unsigned char>(s[i + 2]))) {
        AppendCodePoint(uint32_t(s[i + 2]) % 32, out);
        return i + 3;
      }
      out->append("\\\\c");
      return i + 2;
    case '0':
      if (i + 2 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 2]))) {
        out->append("\\x{0}");
        return i + 2;
      }
      break;
    case 'p':
    case 'P':
      if (i + 2 < s.size() && s[i + 2] == '{') {
        size_t close = s.find('}', i + 3);
        if (close != std::string_view::npos) {
          out->push_back('\\');
          out->push_back(c);
          out->push_back('{');
          out->append(PropertyName(s.substr(i + 3, close - i - 3)));
          out->push_back('}');
          return close + 1;
        }
      }
      break;
    case '/':
      out->push_back('/');
      return i + 2;
    default:
      break;
  }
  out->push_back('\\');
  out->push_back(c);
  return i + 2;
}

}  // namespace

std::string TranslateEcmaRegex(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  bool in_class = false;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\\') {
      i = TranslateEscape(s, i, in_class, &out);
      continue;
    }
    if (in_class) {
      if (c == ']')
        in_class = false;
      if (c == '[') {
        out.append("\\[");  // a literal '[' inside an ECMA class
      } else {
        out.push_back(c);
      }
      ++i;
      continue;
    }
    if (c == '[') {
      if (s.substr(i, 3) == "[^]") {
        out.append("[\\x{0}-\\x{10ffff}]");
        i += 3;
        continue;
      }
      if (s.substr(i, 2) == "[]") {
        out.append("[^\\x{0}-\\x{10ffff}]");
        i += 2;
        continue;
      }
      in_class = true;
      out.push_back('[');
      ++i;
      if (i < s.size() && s[i] == '^') {
        out.push_back('^');
        ++i;
      }
      continue;
    }
    if (c == '.') {
      out.append(kDot);
      ++i;
      continue;
    }
    if (c == '(' && s.substr(i, 3) == "(?<" && i + 3 < s.size() && s[i + 3] != '=' &&
        s[i + 3] != '!') {
      out.append("(?P<");
      i += 3;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

Result<std::unique_ptr<RE2>> CompileEcmaRegex(std::string_view ecma) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  auto re = std::make_unique<RE2>(TranslateEcmaRegex(ecma), options);
  if (!re->ok()) {
    return InvalidArgumentError("pattern " + std::string(ecma) +
                                " is not supported: " + re->error());
  }
  return re;
}

}  // namespace sluice::schema
