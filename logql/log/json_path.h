// JSON path expressions of `| json label="path"` (Loki's jsonexpr): `a.b`, `a["k.with.dots"]`,
// `list[0]`, combined freely (`a.list[2]["x"].y`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice::logql::log {

struct JsonPathPart {
  bool is_index = false;
  std::string key;   // when !is_index
  size_t index = 0;  // when is_index
};

// Error text: "cannot parse expression [<expr>]: <why>".
Result<std::vector<JsonPathPart>> ParseJsonPath(std::string_view expr);

}  // namespace sluice::logql::log
