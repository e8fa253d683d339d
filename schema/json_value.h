// JsonValue: an owned, immutable JSON tree for schema documents (small; compiled once), plus
// JSON equality across schema values and simdjson DOM instance values ("1 == 1.0", key order
// irrelevant), exact number comparison, and compact rendering for error messages.
// Node addresses are stable once a tree is built, so the compiler keys subschemas by address.
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "common/result.h"

namespace sluice::schema {

// A JSON number as parsed: exact integers stay integers.
struct Number {
  enum class Kind : uint8_t { kInt, kUint, kDouble };
  Kind kind = Kind::kInt;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;

  static Number FromElement(simdjson::dom::element e);  // REQUIRES: e is a number
  bool IsInteger() const;                               // 1.0 is an integer
  long double AsLongDouble() const;
};

// <0, 0, >0 as a compares to b, exactly (long double holds every int64/uint64/double).
int CompareNumbers(const Number& a, const Number& b);

// True when `value` is an integer multiple of `divisor` (> 0), exactly for decimal inputs:
// both are taken at their shortest round-trip decimal form and divided in integer arithmetic.
bool IsMultipleOf(const Number& value, const Number& divisor);

class JsonValue {
 public:
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  static JsonValue FromElement(simdjson::dom::element e);

  Type type() const { return type_; }

  bool is_object() const { return type_ == Type::kObject; }

  bool is_array() const { return type_ == Type::kArray; }

  bool is_string() const { return type_ == Type::kString; }

  bool is_bool() const { return type_ == Type::kBool; }

  bool is_number() const { return type_ == Type::kNumber; }

  bool boolean() const { return bool_; }

  const Number& number() const { return number_; }

  const std::string& str() const { return string_; }

  const std::vector<JsonValue>& array() const { return array_; }

  const std::vector<std::pair<std::string, JsonValue>>& object() const { return object_; }

  // nullptr when this is not an object or has no such key.
  const JsonValue* Find(std::string_view key) const;
  std::string ToJson() const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  Number number_;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> object_;
};

// Parses a whole JSON document. Errors are InvalidArgument with simdjson's message.
Result<JsonValue> ParseJsonValue(std::string_view text);

bool JsonEqual(const JsonValue& a, simdjson::dom::element b);
bool JsonEqual(simdjson::dom::element a, simdjson::dom::element b);
bool JsonEqual(const JsonValue& a, const JsonValue& b);

// Compact JSON of an instance value, cut to about `max_len` bytes with "..." for messages.
std::string RenderShort(simdjson::dom::element e, size_t max_len = 80);

// The JSON type name used in messages and by `type`: "null", "boolean", "integer", "number",
// "string", "array", "object" ("integer" for integral numbers).
std::string_view JsonTypeName(simdjson::dom::element e);

}  // namespace sluice::schema
