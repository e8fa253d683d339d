// URI references (RFC 3986 section 5 resolution) and JSON Pointers (RFC 6901) as JSON Schema
// uses them for `$id`, `$ref` and error locations. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::schema {

// Resolves `ref` against the absolute (or empty) `base`. With an empty base, returns `ref`
// with dot segments removed.
std::string ResolveUri(std::string_view base, std::string_view ref);

// Splits "uri#fragment" into the part before '#' and the fragment (without '#').
void SplitFragment(std::string_view uri, std::string_view* base, std::string_view* fragment);

// Percent-decodes a URI fragment ("%25" -> "%").
std::string PercentDecode(std::string_view s);

// Escapes one reference token: "~" -> "~0", "/" -> "~1".
std::string EscapePointerToken(std::string_view token);

// Splits "/a/b~1c" into {"a", "b/c"}; false if `pointer` is neither empty nor starts with '/'
// or holds a bad escape.
bool ParseJsonPointer(std::string_view pointer, std::vector<std::string>* tokens);

}  // namespace sluice::schema
