// Feeds arbitrary bytes to Schema::Compile (meta-schema check, $ref linking, regex
// translation); whatever compiles is then run against a few instances, which must not crash,
// and on which the boolean-only fast path (IsValid) must agree with the keyword-by-keyword
// evaluation that collects every error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "schema/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  sluice::schema::CompileOptions options;
  options.format = sluice::schema::FormatMode::kAssert;
  auto schema = sluice::schema::Schema::Compile(text, options);
  if (!schema.ok())
    return 0;
  std::vector<sluice::schema::ValidationError> errors;
  simdjson::dom::parser parser;
  for (std::string_view instance :
       {"null", "0", "1.5", "\"abc\"", "\"0123456789abcdef\"", "[1, \"a\", [2]]", "[]", "{}",
        "{\"a\": {\"b\": [1, 2, 3]}, \"c\": \"x\"}", "{\"trace_id\": \"x\", \"n\": 100}"}) {
    simdjson::dom::element e;
    if (parser.parse(instance).get(e))
      continue;
    errors.clear();
    bool all = (*schema)->Validate(e, sluice::schema::ErrorMode::kAll, &errors);
    if (all != (*schema)->IsValid(e) || all != errors.empty())
      __builtin_trap();
  }
  return 0;
}
