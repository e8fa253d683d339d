// Validation per JSON line: the reference service-log schema (fast path and error path), a
// schema heavy in $ref and oneOf, and unevaluatedProperties (annotation tracking). Each
// iteration parses one line with simdjson and validates it, as the agent does.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "schema/schema.h"

namespace {

using sluice::schema::CompileOptions;
using sluice::schema::ErrorMode;
using sluice::schema::FormatMode;
using sluice::schema::LineValidator;
using sluice::schema::Schema;
using sluice::schema::ValidationError;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(bool invalid) {
  std::vector<std::string> lines;
  for (int i = 0; i < 64; ++i) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "{\"timestamp\":\"2026-01-01T00:00:%02d.%03dZ\",\"level\":\"info\","
                  "\"service_name\":\"order-service\",\"trace_id\":\"%032x\",\"span_id\":\"%s\","
                  "\"msg\":\"request completed\",\"http\":{\"method\":\"GET\",\"route\":"
                  "\"/api/v1/orders\",\"status\":200},\"duration_ms\":%d.5,\"tenant_id\":\"acme\"}",
                  i % 60, i, i * 7919, invalid ? "not-a-span" : "d5f4b3b2e4b06ce6", i);
    lines.push_back(buf);
  }
  return lines;
}

void Run(benchmark::State& state, const std::string& schema_text,
         const std::vector<std::string>& lines, ErrorMode mode) {
  CompileOptions options;
  options.format = FormatMode::kAssert;
  auto schema = Schema::Compile(schema_text, options);
  if (!schema.ok()) {
    state.SkipWithError(schema.status().message().c_str());
    return;
  }
  LineValidator validator(**schema);
  std::vector<ValidationError> errors;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ % lines.size()];
    errors.clear();
    auto r = validator.Validate(line, mode, mode == ErrorMode::kAll ? &errors : nullptr);
    benchmark::DoNotOptimize(r);
    bytes += line.size();
  }
  state.SetBytesProcessed(int64_t(bytes));
  state.SetItemsProcessed(state.iterations());
}

std::string ReferenceSchema() {
  return ReadFile(std::string(SLUICE_SHARED_DIR) + "/schemas/service-log.schema.json");
}

void BM_ReferenceSchemaValid(benchmark::State& state) {
  Run(state, ReferenceSchema(), Lines(false), ErrorMode::kFirst);
}

BENCHMARK(BM_ReferenceSchemaValid);

void BM_ReferenceSchemaInvalidAllErrors(benchmark::State& state) {
  Run(state, ReferenceSchema(), Lines(true), ErrorMode::kAll);
}

BENCHMARK(BM_ReferenceSchemaInvalidAllErrors);

// Validation alone (lines parsed once, before timing): what the validator costs on top of
// simdjson's parse.
void BM_ReferenceSchemaValidateOnly(benchmark::State& state) {
  CompileOptions options;
  options.format = FormatMode::kAssert;
  auto schema = Schema::Compile(ReferenceSchema(), options);
  if (!schema.ok()) {
    state.SkipWithError(schema.status().message().c_str());
    return;
  }
  std::vector<std::string> lines = Lines(false);
  std::vector<simdjson::dom::parser> parsers(lines.size());
  std::vector<simdjson::dom::element> docs;
  for (size_t i = 0; i < lines.size(); ++i)
    docs.push_back(parsers[i].parse(lines[i]).value_unsafe());
  size_t i = 0;
  for (auto _ : state) {
    bool valid = (*schema)->IsValid(docs[i++ % docs.size()]);
    benchmark::DoNotOptimize(valid);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ReferenceSchemaValidateOnly);

// Every field through $ref into $defs, and the http object as a oneOf of three shapes.
constexpr char kRefOneOfSchema[] = R"({
  "$defs": {
    "hex16": {"type": "string", "pattern": "^[0-9a-fA-F]{16}$"},
    "hex32": {"type": "string", "pattern": "^[0-9a-fA-F]{32}$"},
    "name": {"$ref": "#/$defs/str", "maxLength": 64},
    "str": {"type": "string"},
    "ts": {"$ref": "#/$defs/str", "format": "date-time"},
    "ok": {"type": "object", "properties": {"status": {"type": "integer", "maximum": 399}}},
    "client": {"type": "object", "properties": {"status": {"type": "integer", "minimum": 400, "maximum": 499}}},
    "server": {"type": "object", "properties": {"status": {"type": "integer", "minimum": 500}}}
  },
  "type": "object",
  "properties": {
    "trace_id": {"oneOf": [{"$ref": "#/$defs/hex16"}, {"$ref": "#/$defs/hex32"}]},
    "span_id": {"$ref": "#/$defs/hex16"},
    "service_name": {"$ref": "#/$defs/name"},
    "timestamp": {"$ref": "#/$defs/ts"},
    "level": {"oneOf": [{"const": "debug"}, {"const": "info"}, {"const": "warn"}, {"const": "error"}]},
    "msg": {"$ref": "#/$defs/str"},
    "http": {"oneOf": [{"$ref": "#/$defs/ok"}, {"$ref": "#/$defs/client"}, {"$ref": "#/$defs/server"}]}
  }
})";

void BM_RefOneOfHeavy(benchmark::State& state) {
  Run(state, kRefOneOfSchema, Lines(false), ErrorMode::kFirst);
}

BENCHMARK(BM_RefOneOfHeavy);

constexpr char kUnevaluatedSchema[] = R"({
  "$defs": {"trace": {"properties": {"trace_id": {"type": "string"}, "span_id": {"type": "string"}}}},
  "allOf": [{"$ref": "#/$defs/trace"}],
  "properties": {"timestamp": {"type": "string"}, "level": {"type": "string"},
                 "service_name": {"type": "string"}, "msg": {"type": "string"}},
  "if": {"properties": {"level": {"const": "error"}}},
  "then": {"properties": {"error": {"type": "string"}}},
  "patternProperties": {"^(http|duration_ms)$": true},
  "unevaluatedProperties": {"type": "string", "maxLength": 16}
})";

void BM_UnevaluatedProperties(benchmark::State& state) {
  Run(state, kUnevaluatedSchema, Lines(false), ErrorMode::kFirst);
}

BENCHMARK(BM_UnevaluatedProperties);

void BM_ParseOnlyBaseline(benchmark::State& state) {
  Run(state, "true", Lines(false), ErrorMode::kFirst);
}

BENCHMARK(BM_ParseOnlyBaseline);

}  // namespace
