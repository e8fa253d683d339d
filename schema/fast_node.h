// Internal: the boolean-only form of a Node (FastNode), used when nobody listens for errors or
// annotations, e.g. Schema::IsValid and the trials inside anyOf / oneOf / not / if. It holds
// every check of a node whose keywords are all "simple" (type, enum, const, numeric bounds,
// multipleOf, string length, pattern, format, required, property counts, properties /
// patternProperties / additionalProperties, items / prefixItems, item counts, static $ref,
// allOf, anyOf, oneOf, not, if / then / else) as plain fields, so a node costs one call and
// one switch on the instance type instead of a virtual call per keyword; the answer is the
// same as the keywords' (the conformance test runs both forms on the whole official suite).
// Each keyword fills its part through Keyword::Fuse; a keyword that cannot (unevaluated*,
// $dynamicRef, contains, uniqueItems, dependent*, propertyNames) leaves its node without a
// FastNode. The predicates below are shared by the keywords and the FastNode evaluation.
// Thread-safety: immutable after compilation.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "schema/formats.h"
#include "schema/json_value.h"
#include "schema/name_table.h"
#include "schema/pattern_matcher.h"

namespace sluice::schema {

struct Node;
struct EvalContext;

enum TypeBit : uint8_t {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kNumber = 16,
  kString = 32,
  kInteger = 64,
  kAnyType = 127,
};

// The type bit(s) of `e` as far as `mask` (a `type` keyword's accepted bits) needs them: an
// integral double is "integer" only when the mask asks for integers but not for numbers.
inline uint8_t InstanceTypeBits(simdjson::dom::element e, uint8_t mask) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::NULL_VALUE:
      return kNull;
    case element_type::BOOL:
      return kBoolean;
    case element_type::OBJECT:
      return kObject;
    case element_type::ARRAY:
      return kArray;
    case element_type::STRING:
      return kString;
    case element_type::DOUBLE:
      return (mask & kNumber) || !Number::FromElement(e).IsInteger() ? kNumber
                                                                     : (kNumber | kInteger);
    default:
      return kNumber | kInteger;
  }
}

inline bool IsNumberElement(simdjson::dom::element_type t) {
  using simdjson::dom::element_type;
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

enum class Bound : uint8_t { kMin, kMax, kExclusiveMin, kExclusiveMax };

// `cmp` is CompareNumbers(instance, limit).
inline bool BoundHolds(Bound bound, int cmp) {
  switch (bound) {
    case Bound::kMin:
      return cmp >= 0;
    case Bound::kMax:
      return cmp <= 0;
    case Bound::kExclusiveMin:
      return cmp > 0;
    case Bound::kExclusiveMax:
      return cmp < 0;
  }
  return false;
}

// multipleOf, exact (integers in integer arithmetic, the rest in decimal).
inline bool MultipleHolds(const Number& n, const Number& divisor) {
  return n.kind == Number::Kind::kInt && divisor.kind == Number::Kind::kInt
             ? n.i % divisor.i == 0
             : IsMultipleOf(n, divisor);
}

inline size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

// minLength / maxLength in code points. The byte length bounds the code points from above,
// and from below by a factor of 4, which settles most strings without counting.
inline bool LengthHolds(std::string_view s, bool is_max, uint64_t limit) {
  if (is_max ? s.size() <= limit : s.size() >= 4 * limit)
    return true;
  size_t n = CodePoints(s);
  return is_max ? n <= limit : n >= limit;
}

// The values of `enum` (or the one of `const`), split so that a string instance is one hash
// lookup. REQUIRES: the JsonValues outlive the set.
class EnumSet {
 public:
  explicit EnumSet(const std::vector<const JsonValue*>& values);
  bool Contains(simdjson::dom::element e) const;

 private:
  NameTable strings_;
  std::vector<const JsonValue*> others_;
};

// True when `obj` has a member named `key` (a linear scan).
inline bool HasKey(simdjson::dom::object obj, std::string_view key) {
  for (auto field : obj) {
    if (field.key == key)
      return true;
  }
  return false;
}

// The names of `required`, hashed; `all` has the bit of every distinct name when there are at
// most 64 (then one pass over the members answers).
class RequiredSet {
 public:
  explicit RequiredSet(std::vector<std::string> names);
  bool AllPresent(simdjson::dom::object obj) const;

  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  NameTable table_;
  uint64_t all_ = 0;
};

// properties + patternProperties + additionalProperties of one schema object.
struct PropertyMap {
  std::vector<std::pair<std::string, const Node*>> properties;
  NameTable table;  // over `properties`; built by Seal()
  std::vector<std::pair<PatternMatcher, const Node*>> patterns;
  const Node* additional = nullptr;

  void Seal();
};

struct FastNode {
  // Any instance.
  uint8_t types = kAnyType;
  const EnumSet* enum_values = nullptr;
  const EnumSet* const_value = nullptr;
  // Strings.
  bool has_string_checks = false;
  uint64_t min_length = 0;
  uint64_t max_length = UINT64_MAX;
  const PatternMatcher* pattern = nullptr;
  FormatChecker format = nullptr;
  // Numbers.
  uint8_t bound_count = 0;
  std::pair<Bound, Number> bounds[4];
  const Number* multiple_of = nullptr;
  // Objects.
  bool has_object_checks = false;
  const RequiredSet* required = nullptr;
  const PropertyMap* properties = nullptr;

  // `properties->properties` resolved for the walk: the node of each, its FastNode (nullptr:
  // none) and, when every required name is also a property (required_in_walk), its bit of
  // `required_all`, all of which the walk must see.
  struct Property {
    const Node* node;
    const FastNode* fast;
    uint64_t required_bit;
  };

  std::vector<Property> property_list;
  bool required_in_walk = false;
  uint64_t required_all = 0;
  uint64_t min_properties = 0;
  uint64_t max_properties = UINT64_MAX;
  // Arrays.
  bool has_array_checks = false;
  uint64_t min_items = 0;
  uint64_t max_items = UINT64_MAX;
  const std::vector<const Node*>* prefix_items = nullptr;
  const Node* rest_items = nullptr;  // nullptr: any
  // In-place applicators.
  enum class Apply : uint8_t { kAll, kAny, kOne, kNot, kIf };

  struct Applicator {
    Apply kind;
    std::vector<const Node*> nodes;  // kIf: {if, then or nullptr, else or nullptr}
  };

  std::vector<Applicator> applicators;
};

// The boolean answer of the node that `fast` stands for. REQUIRES: nothing is to be reported
// (!ctx.reporting()), no annotations are collected, and no dynamic scope is tracked.
bool EvalFast(const FastNode& fast, simdjson::dom::element instance, EvalContext& ctx);

}  // namespace sluice::schema
