// JsonPaths: for each scalar member of a JSON object line, the flattened label name Loki's
// `| json` gives it ("user_id" for {"user":{"id":1}}) and the original key path (["user","id"]),
// which detected_fields reports as `jsonPath` (Loki >= 3.5; Logs Drilldown's JSON view builds
// `| json user_id="user.id"`-style expressions from it).
//   std::vector<JsonPath> paths;
//   if (CollectJsonPaths(R"({"user":{"id":1}})", &paths)) ...  // {"user_id", {"user", "id"}}
// Names follow logql/log's JSON parser: each key part sanitised (SanitizeLabelName), parts
// joined with '_', empty parts skipped; arrays and nulls are skipped.
// Thread-safety: pure function (uses a thread-local parser).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::logql::drilldown {

struct JsonPath {
  std::string name;
  std::vector<std::string> path;
};

// Appends the paths of every scalar member of the object `line` to *out. False (with *out
// possibly partly filled) when the line is not a well-formed JSON object.
bool CollectJsonPaths(std::string_view line, std::vector<JsonPath>* out);

}  // namespace sluice::logql::drilldown
