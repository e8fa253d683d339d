// Internal: the keyword compilers. Each reads its keyword(s) from `schema` (an object), builds
// checker(s) and appends them to `node`; grouped keywords (properties / patternProperties /
// additionalProperties, prefixItems / items / additionalItems, if / then / else, contains /
// minContains / maxContains) compile into one checker. schema/keyword_registry.cc says which
// drafts and vocabularies enable each.
#pragma once

#include "schema/compiler.h"

namespace sluice::schema {

// The schema location of `keyword` in the (sub)schema at `frame`.
inline std::string At(const Frame& frame, std::string_view keyword) {
  return frame.location + "/" + std::string(keyword);
}

// A non-negative integer keyword value (minLength, maxItems, ...); 0 when absent or negative.
inline uint64_t NonNegative(const JsonValue* v) {
  if (v == nullptr || !v->is_number())
    return 0;
  long double d = v->number().AsLongDouble();
  return d <= 0 ? 0 : static_cast<uint64_t>(d);
}

#define SLUICE_SCHEMA_KEYWORD(name)                                                        \
  void name([[maybe_unused]] Compiler& compiler, [[maybe_unused]] const JsonValue& schema, \
            [[maybe_unused]] const Frame& frame, [[maybe_unused]] Node* node)

// keywords_scalar.cc
SLUICE_SCHEMA_KEYWORD(CompileType);
SLUICE_SCHEMA_KEYWORD(CompileEnum);
SLUICE_SCHEMA_KEYWORD(CompileConst);
SLUICE_SCHEMA_KEYWORD(CompileMinimum);
SLUICE_SCHEMA_KEYWORD(CompileMaximum);
SLUICE_SCHEMA_KEYWORD(CompileExclusiveMinimum);
SLUICE_SCHEMA_KEYWORD(CompileExclusiveMaximum);
SLUICE_SCHEMA_KEYWORD(CompileMultipleOf);
SLUICE_SCHEMA_KEYWORD(CompileMinLength);
SLUICE_SCHEMA_KEYWORD(CompileMaxLength);
SLUICE_SCHEMA_KEYWORD(CompilePattern);
SLUICE_SCHEMA_KEYWORD(CompileFormat);

// keywords_object.cc
SLUICE_SCHEMA_KEYWORD(CompileRequired);
SLUICE_SCHEMA_KEYWORD(CompileMinProperties);
SLUICE_SCHEMA_KEYWORD(CompileMaxProperties);
SLUICE_SCHEMA_KEYWORD(CompileDependentRequired);
SLUICE_SCHEMA_KEYWORD(CompileObjectApplicators);
SLUICE_SCHEMA_KEYWORD(CompilePropertyNames);
SLUICE_SCHEMA_KEYWORD(CompileUnevaluatedProperties);

// keywords_array.cc
SLUICE_SCHEMA_KEYWORD(CompileMinItems);
SLUICE_SCHEMA_KEYWORD(CompileMaxItems);
SLUICE_SCHEMA_KEYWORD(CompileUniqueItems);
SLUICE_SCHEMA_KEYWORD(CompileItems);
SLUICE_SCHEMA_KEYWORD(CompileContains);
SLUICE_SCHEMA_KEYWORD(CompileUnevaluatedItems);

// keywords_logic.cc
SLUICE_SCHEMA_KEYWORD(CompileRef);
SLUICE_SCHEMA_KEYWORD(CompileDynamicRef);
SLUICE_SCHEMA_KEYWORD(CompileDefs);
SLUICE_SCHEMA_KEYWORD(CompileAllOf);
SLUICE_SCHEMA_KEYWORD(CompileAnyOf);
SLUICE_SCHEMA_KEYWORD(CompileOneOf);
SLUICE_SCHEMA_KEYWORD(CompileNot);
SLUICE_SCHEMA_KEYWORD(CompileIfThenElse);
SLUICE_SCHEMA_KEYWORD(CompileDependentSchemas);
SLUICE_SCHEMA_KEYWORD(CompileDependencies);

}  // namespace sluice::schema
