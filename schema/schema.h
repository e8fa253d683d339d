// sluice::schema: JSON Schema (draft 2020-12 and draft-07) compiled once into a checker that
// walks simdjson DOM values in place (no copy of the instance).
//
//   CompileOptions options;
//   options.format = FormatMode::kAssert;
//   SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const Schema> schema, Schema::Compile(text, options));
//   LineValidator validator(*schema);            // one per thread: owns a simdjson parser
//   Result<bool> ok = validator.Validate(line);  // fast path: stops at the first failure
//   std::vector<ValidationError> errors;
//   validator.Validate(line, ErrorMode::kAll, &errors);  // every error, for reports
//
// The draft comes from `$schema` (2020-12 when absent). The schema is first validated against
// its meta-schema (bundled; custom meta-schemas come through the resolver and their
// `$vocabulary` picks the keywords in force); an invalid schema is an InvalidArgument error
// naming the schema location and why. `$ref` to other documents goes through
// CompileOptions::resolver. Thread-safety: a compiled Schema is immutable and may be used from
// any number of threads at once; a LineValidator is for one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/result.h"

namespace sluice::schema {

struct CompiledSchema;  // schema/compiled_schema.h: the node graph

enum class Draft { k202012, k07 };

// What `format` does: the spec makes it an annotation (never fails) unless assertion is asked.
enum class FormatMode {
  kAnnotate,  // default: recorded nowhere, never fails an instance
  kAssert,    // known formats (schema/formats.h) fail instances that do not conform
  kIgnore,    // as kAnnotate; named separately for `--no-format`
};

enum class ErrorMode {
  kFirst,  // stop at the first failing keyword (the fast path)
  kAll,    // keep going and report every failing keyword (up to max_errors)
};

struct ValidationError {
  std::string instance_location;  // JSON Pointer into the instance; "" is the root
  std::string schema_location;    // JSON Pointer of the failing keyword, e.g.
                                  // "/properties/span_id/pattern"; "uri#/ptr" in other documents
  std::string keyword;            // "pattern", "required", ...
  std::string message;            // "`span_id`: \"x\" does not match ^[0-9a-fA-F]{16}$"
};

// Returns the JSON text of the document at an absolute URI (no fragment), or an error.
using SchemaResolver = std::function<Result<std::string>(std::string_view uri)>;

struct CompileOptions {
  // Default kAnnotate. kAssert costs one check per `format` keyword reached.
  FormatMode format = FormatMode::kAnnotate;
  // Fetches documents that `$ref` (or a custom `$schema`) names and that are not bundled
  // meta-schemas. Default: none, such a reference is a compile error.
  SchemaResolver resolver;
  // Base URI of a root schema without `$id`. Default "" (relative references stay relative).
  std::string base_uri;
  // The draft of a root schema without `$schema`. Default 2020-12, as the issue asks.
  Draft default_draft = Draft::k202012;
  // Default true. Off only for trusted schemas (the bundled meta-schemas themselves).
  bool check_meta_schema = true;
};

class Schema {
 public:
  // Parses, checks against the meta-schema, and compiles `json`. InvalidArgument errors say
  // "schema is not valid JSON: ...", "schema is not valid against its meta-schema: at <ptr>:
  // ...", "pattern <p> is not supported: ..." or "cannot resolve $ref <uri>: ...".
  static Result<std::shared_ptr<const Schema>> Compile(std::string_view json,
                                                       const CompileOptions& options = {});

  explicit Schema(std::unique_ptr<CompiledSchema> compiled);
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // True when `instance` is valid; the fastest path (no error text is built).
  bool IsValid(simdjson::dom::element instance) const;

  // Validates and appends errors to `*errors` (at most one with kFirst, at most `max_errors`
  // with kAll; 0 means no limit). Returns true when valid.
  bool Validate(simdjson::dom::element instance, ErrorMode mode,
                std::vector<ValidationError>* errors, size_t max_errors = 0) const;

  Draft draft() const;

 private:
  std::unique_ptr<CompiledSchema> compiled_;
};

// Parses JSON texts with its own simdjson parser and validates them against one Schema.
// The Schema must outlive the validator. Not thread-safe: one per thread.
class LineValidator {
 public:
  explicit LineValidator(const Schema& schema);

  // Ok(true) valid, Ok(false) invalid (errors appended), InvalidArgument if `json` is not
  // JSON (simdjson's message, e.g. "The input is not valid UTF-8").
  Result<bool> Validate(std::string_view json, ErrorMode mode = ErrorMode::kFirst,
                        std::vector<ValidationError>* errors = nullptr, size_t max_errors = 0);

  // As above for a buffer with at least simdjson::SIMDJSON_PADDING readable bytes after
  // `json` (no copy).
  Result<bool> ValidatePadded(std::string_view json, ErrorMode mode,
                              std::vector<ValidationError>* errors, size_t max_errors = 0);

 private:
  const Schema& schema_;
  simdjson::dom::parser parser_;
};

}  // namespace sluice::schema
