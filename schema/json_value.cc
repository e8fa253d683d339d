#include "schema/json_value.h"

#include <charconv>
#include <cmath>

namespace sluice::schema {

using simdjson::dom::element;
using simdjson::dom::element_type;

Number Number::FromElement(element e) {
  Number n;
  switch (e.type()) {
    case element_type::INT64:
      n.kind = Kind::kInt;
      n.i = int64_t(e);
      break;
    case element_type::UINT64:
      n.kind = Kind::kUint;
      n.u = uint64_t(e);
      break;
    default:
      n.kind = Kind::kDouble;
      n.d = double(e);
      break;
  }
  return n;
}

bool Number::IsInteger() const {
  return kind != Kind::kDouble || (std::isfinite(d) && std::floor(d) == d);
}

long double Number::AsLongDouble() const {
  switch (kind) {
    case Kind::kInt:
      return static_cast<long double>(i);
    case Kind::kUint:
      return static_cast<long double>(u);
    case Kind::kDouble:
      break;
  }
  return d;
}

int CompareNumbers(const Number& a, const Number& b) {
  if (a.kind == Number::Kind::kInt && b.kind == Number::Kind::kInt) {
    return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  }
  long double x = a.AsLongDouble(), y = b.AsLongDouble();
  return x < y ? -1 : (x > y ? 1 : 0);
}

namespace {

// |n| as mantissa * 10^exp with the shortest decimal digits; false for inf/nan.
bool ToDecimal(const Number& n, uint64_t* mantissa, int* exp) {
  *exp = 0;
  if (n.kind == Number::Kind::kInt) {
    *mantissa = n.i < 0 ? uint64_t(0) - uint64_t(n.i) : uint64_t(n.i);
    return true;
  }
  if (n.kind == Number::Kind::kUint) {
    *mantissa = n.u;
    return true;
  }
  if (!std::isfinite(n.d))
    return false;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(n.d), std::chars_format::scientific);
  uint64_t m = 0;
  int digits_after_point = 0;
  bool after_point = false;
  const char* p = buf;
  for (; p < res.ptr && *p != 'e'; ++p) {
    if (*p == '.') {
      after_point = true;
      continue;
    }
    m = m * 10 + uint64_t(*p - '0');
    if (after_point)
      ++digits_after_point;
  }
  int e10 = 0;
  if (p < res.ptr)
    std::from_chars(p[1] == '+' ? p + 2 : p + 1, res.ptr, e10);
  *mantissa = m;
  *exp = e10 - digits_after_point;
  return true;
}

unsigned __int128 Pow10Mod(int k, unsigned __int128 mod) {
  unsigned __int128 result = 1 % mod, base = 10 % mod;
  while (k > 0) {
    if (k & 1)
      result = result * base % mod;
    base = base * base % mod;
    k >>= 1;
  }
  return result;
}

}  // namespace

bool IsMultipleOf(const Number& value, const Number& divisor) {
  uint64_t a, b;
  int ea, eb;
  if (!ToDecimal(value, &a, &ea) || !ToDecimal(divisor, &b, &eb) || b == 0)
    return false;
  if (a == 0)
    return true;
  if (ea < eb) {
    int k = eb - ea;
    if (k > 19)
      return false;  // b * 10^k > every uint64 a
    unsigned __int128 scaled = b;
    for (int j = 0; j < k; ++j)
      scaled *= 10;
    return a % scaled == 0;
  }
  // a * 10^(ea-eb) mod b, by modular exponentiation (ea - eb may be in the hundreds).
  unsigned __int128 mod = b;
  return (a % mod) * Pow10Mod(ea - eb, mod) % mod == 0;
}

JsonValue JsonValue::FromElement(element e) {
  JsonValue v;
  switch (e.type()) {
    case element_type::NULL_VALUE:
      v.type_ = Type::kNull;
      break;
    case element_type::BOOL:
      v.type_ = Type::kBool;
      v.bool_ = bool(e);
      break;
    case element_type::STRING:
      v.type_ = Type::kString;
      v.string_ = std::string(std::string_view(e));
      break;
    case element_type::ARRAY:
      v.type_ = Type::kArray;
      for (element child : simdjson::dom::array(e))
        v.array_.push_back(FromElement(child));
      break;
    case element_type::OBJECT:
      v.type_ = Type::kObject;
      for (auto field : simdjson::dom::object(e)) {
        v.object_.emplace_back(std::string(field.key), FromElement(field.value));
      }
      break;
    default:
      v.type_ = Type::kNumber;
      v.number_ = Number::FromElement(e);
      break;
  }
  return v;
}

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type_ != Type::kObject)
    return nullptr;
  for (const auto& [k, v] : object_) {
    if (k == key)
      return &v;
  }
  return nullptr;
}

namespace {

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendJson(const JsonValue& v, std::string* out) {
  switch (v.type()) {
    case JsonValue::Type::kNull:
      out->append("null");
      break;
    case JsonValue::Type::kBool:
      out->append(v.boolean() ? "true" : "false");
      break;
    case JsonValue::Type::kNumber: {
      const Number& n = v.number();
      if (n.kind == Number::Kind::kInt) {
        out->append(std::to_string(n.i));
      } else if (n.kind == Number::Kind::kUint) {
        out->append(std::to_string(n.u));
      } else {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, n.d);
        out->append(buf, res.ptr);
      }
      break;
    }
    case JsonValue::Type::kString:
      AppendQuoted(v.str(), out);
      break;
    case JsonValue::Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const JsonValue& c : v.array()) {
        if (!first)
          out->push_back(',');
        first = false;
        AppendJson(c, out);
      }
      out->push_back(']');
      break;
    }
    case JsonValue::Type::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, c] : v.object()) {
        if (!first)
          out->push_back(',');
        first = false;
        AppendQuoted(k, out);
        out->push_back(':');
        AppendJson(c, out);
      }
      out->push_back('}');
      break;
    }
  }
}

bool IsNumberType(element_type t) {
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

}  // namespace

std::string JsonValue::ToJson() const {
  std::string out;
  AppendJson(*this, &out);
  return out;
}

Result<JsonValue> ParseJsonValue(std::string_view text) {
  simdjson::dom::parser parser;
  element root;
  auto err = parser.parse(text.data(), text.size(), true).get(root);
  if (err)
    return InvalidArgumentError(simdjson::error_message(err));
  return JsonValue::FromElement(root);
}

bool JsonEqual(const JsonValue& a, element b) {
  element_type bt = b.type();
  switch (a.type()) {
    case JsonValue::Type::kNull:
      return bt == element_type::NULL_VALUE;
    case JsonValue::Type::kBool:
      return bt == element_type::BOOL && bool(b) == a.boolean();
    case JsonValue::Type::kNumber:
      return IsNumberType(bt) && CompareNumbers(a.number(), Number::FromElement(b)) == 0;
    case JsonValue::Type::kString:
      return bt == element_type::STRING && std::string_view(b) == a.str();
    case JsonValue::Type::kArray: {
      if (bt != element_type::ARRAY)
        return false;
      simdjson::dom::array arr(b);
      if (arr.size() != a.array().size())
        return false;
      size_t i = 0;
      for (element child : arr) {
        if (!JsonEqual(a.array()[i++], child))
          return false;
      }
      return true;
    }
    case JsonValue::Type::kObject: {
      if (bt != element_type::OBJECT)
        return false;
      simdjson::dom::object obj(b);
      if (obj.size() != a.object().size())
        return false;
      for (auto field : obj) {
        const JsonValue* mine = a.Find(field.key);
        if (mine == nullptr || !JsonEqual(*mine, field.value))
          return false;
      }
      return true;
    }
  }
  return false;
}

bool JsonEqual(element a, element b) {
  element_type at = a.type(), bt = b.type();
  if (IsNumberType(at) || IsNumberType(bt)) {
    return IsNumberType(at) && IsNumberType(bt) &&
           CompareNumbers(Number::FromElement(a), Number::FromElement(b)) == 0;
  }
  if (at != bt)
    return false;
  switch (at) {
    case element_type::NULL_VALUE:
      return true;
    case element_type::BOOL:
      return bool(a) == bool(b);
    case element_type::STRING:
      return std::string_view(a) == std::string_view(b);
    case element_type::ARRAY: {
      simdjson::dom::array x(a), y(b);
      if (x.size() != y.size())
        return false;
      auto it = y.begin();
      for (element child : x) {
        if (!JsonEqual(child, *it))
          return false;
        ++it;
      }
      return true;
    }
    case element_type::OBJECT: {
      simdjson::dom::object x(a), y(b);
      if (x.size() != y.size())
        return false;
      for (auto field : x) {
        element other;
        if (y.at_key(field.key).get(other) || !JsonEqual(field.value, other))
          return false;
      }
      return true;
    }
    default:
      return false;
  }
}

bool JsonEqual(const JsonValue& a, const JsonValue& b) {
  if (a.type() != b.type())
    return false;
  switch (a.type()) {
    case JsonValue::Type::kNull:
      return true;
    case JsonValue::Type::kBool:
      return a.boolean() == b.boolean();
    case JsonValue::Type::kNumber:
      return CompareNumbers(a.number(), b.number()) == 0;
    case JsonValue::Type::kString:
      return a.str() == b.str();
    case JsonValue::Type::kArray:
      if (a.array().size() != b.array().size())
        return false;
      for (size_t i = 0; i < a.array().size(); ++i) {
        if (!JsonEqual(a.array()[i], b.array()[i]))
          return false;
      }
      return true;
    case JsonValue::Type::kObject:
      if (a.object().size() != b.object().size())
        return false;
      for (const auto& [k, v] : a.object()) {
        const JsonValue* other = b.Find(k);
        if (other == nullptr || !JsonEqual(v, *other))
          return false;
      }
      return true;
  }
  return false;
}

std::string RenderShort(element e, size_t max_len) {
  std::string s = simdjson::minify(e);
  if (s.size() > max_len) {
    s.resize(max_len);
    s.append("...");
  }
  return s;
}

std::string_view JsonTypeName(element e) {
  switch (e.type()) {
    case element_type::NULL_VALUE:
      return "null";
    case element_type::BOOL:
      return "boolean";
    case element_type::STRING:
      return "string";
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::DOUBLE:
      return Number::FromElement(e).IsInteger() ? "integer" : "number";
    default:
      return "integer";
  }
}

}  // namespace sluice::schema
