// Bundled meta-schemas: the official texts of draft 2020-12 (the schema and its eight vocabulary
// meta-schemas) and draft-07, looked up by their canonical URI (a trailing empty fragment "#" is
// ignored). Static data: thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace sluice::schema {

inline constexpr std::string_view kDraft202012Uri = "https://json-schema.org/draft/2020-12/schema";
inline constexpr std::string_view kDraft07Uri = "http://json-schema.org/draft-07/schema";

struct MetaSchema {
  std::string_view uri;   // canonical, without a trailing '#'
  std::string_view text;  // the JSON text
};

std::span<const MetaSchema> BuiltinMetaSchemas();

// nullptr when `uri` names none of the bundled meta-schemas.
const MetaSchema* FindBuiltinMetaSchema(std::string_view uri);

}  // namespace sluice::schema
