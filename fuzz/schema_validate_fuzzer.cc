// Feeds arbitrary bytes as an instance to schemas that exercise every keyword family: the
// reference service-log schema shape, $ref/$dynamicRef recursion, and unevaluated*.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "schema/schema.h"

namespace {

constexpr const char* kSchemas[] = {
    R"({"type": "object", "required": ["trace_id"], "properties": {
        "trace_id": {"type": "string", "pattern": "^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$"},
        "timestamp": {"format": "date-time"}, "n": {"multipleOf": 0.01, "maximum": 1e9},
        "tags": {"type": "array", "uniqueItems": true, "contains": {"type": "string"}}},
        "additionalProperties": {"maxLength": 8}})",
    R"({"$id": "https://x.invalid/tree", "$dynamicAnchor": "node", "type": ["object", "array"],
        "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}, true]})",
    R"({"prefixItems": [{"type": "integer"}], "unevaluatedItems": {"type": "string"},
        "allOf": [{"properties": {"a": true}}], "anyOf": [{"properties": {"b": true}}, true],
        "if": {"required": ["c"]}, "then": {"properties": {"c": true}},
        "unevaluatedProperties": false, "propertyNames": {"pattern": "^\\w+$"}})",
    // Every keyword the boolean-only fast path fuses, through static $refs.
    R"({"$defs": {"hex": {"type": "string", "pattern": "^[0-9a-f]{4,8}$", "minLength": 4},
                  "n": {"type": "integer", "exclusiveMinimum": -5, "maximum": 99, "multipleOf": 3}},
        "type": ["object", "array"], "minProperties": 1, "maxProperties": 6, "required": ["a"],
        "properties": {"a": {"$ref": "#/$defs/hex"}, "b": {"enum": [1, "x", null, [1], {"k": 2}]},
                       "c": {"const": {"z": [true]}}, "d": {"not": {"$ref": "#/$defs/n"}},
                       "e": {"anyOf": [{"$ref": "#/$defs/n"}, {"type": "boolean"}]},
                       "f": {"if": {"type": "number"}, "then": {"minimum": 0}, "else": {"maxLength": 3}}},
        "patternProperties": {"^x-": {"oneOf": [{"type": "string"}, {"maxLength": 2}]}},
        "additionalProperties": {"allOf": [{"format": "uuid"}]},
        "prefixItems": [{"$ref": "#/$defs/n"}], "items": {"$ref": "#"}, "minItems": 1, "maxItems": 4})",
};

std::vector<std::shared_ptr<const sluice::schema::Schema>>& Compiled() {
  static auto* schemas = [] {
    auto* v = new std::vector<std::shared_ptr<const sluice::schema::Schema>>();
    sluice::schema::CompileOptions options;
    options.format = sluice::schema::FormatMode::kAssert;
    for (const char* text : kSchemas) {
      auto s = sluice::schema::Schema::Compile(text, options);
      if (s.ok())
        v->push_back(*s);
    }
    return v;
  }();
  return *schemas;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<sluice::schema::ValidationError> errors;
  for (const auto& schema : Compiled()) {
    sluice::schema::LineValidator validator(*schema);
    auto fast = validator.Validate(text);
    errors.clear();
    auto all = validator.Validate(text, sluice::schema::ErrorMode::kAll, &errors);
    // Both modes must agree on validity.
    if (fast.ok() && all.ok() && *fast != *all)
      __builtin_trap();
  }
  return 0;
}
