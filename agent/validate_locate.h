// Maps a JSON Pointer to the byte offset of the value it names inside a JSON text, so that
// `sluice-agent validate` can print a column for each error. A lenient scanner: it assumes the
// text already parsed (it is only called for valid JSON) and returns 0 when it cannot follow
// the pointer. Pure function: thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace sluice::agent {

// 0-based byte offset of the value at `pointer` ("" is the whole text) in `json`.
size_t LocateJsonPointer(std::string_view json, std::string_view pointer);

}  // namespace sluice::agent
