// Feeds arbitrary bytes to Schema::Compile (meta-schema check, $ref linking, regex
// translation); whatever compiles is then run against a few instances, which must not crash.
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
  sluice::schema::LineValidator validator(**schema);
  std::vector<sluice::schema::ValidationError> errors;
  for (std::string_view instance : {"null", "0", "1.5", "\"abc\"", "[1, \"a\", [2]]",
                                    "{\"a\": {\"b\": [1, 2, 3]}, \"c\": \"x\"}"}) {
    errors.clear();
    validator.Validate(instance, sluice::schema::ErrorMode::kAll, &errors).status().IgnoreError();
  }
  return 0;
}
