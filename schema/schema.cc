#include "schema/schema.h"

#include <utility>

#include "schema/compiled_schema.h"
#include "schema/compiler.h"
#include "schema/meta_schemas.h"

namespace sluice::schema {

using simdjson::dom::element;

namespace {

std::shared_ptr<const Schema> CompileBuiltin(std::string_view uri) {
  CompileOptions options;
  options.check_meta_schema = false;
  options.base_uri = std::string(uri);
  Result<std::shared_ptr<const Schema>> s =
      Schema::Compile(FindBuiltinMetaSchema(uri)->text, options);
  return s.ok() ? *s : nullptr;
}

// The compiled meta-schema that `uri` names: bundled ones compiled once per process, custom
// ones through the resolver (and checked against their own meta-schema).
Result<std::shared_ptr<const Schema>> MetaSchemaFor(std::string uri,
                                                    const CompileOptions& options) {
  if (!uri.empty() && uri.back() == '#')
    uri.pop_back();
  if (uri == kDraft202012Uri) {
    static const std::shared_ptr<const Schema> k2020 = CompileBuiltin(kDraft202012Uri);
    if (k2020 == nullptr)
      return InternalError("bundled 2020-12 meta-schema does not compile");
    return k2020;
  }
  if (uri == kDraft07Uri) {
    static const std::shared_ptr<const Schema> k07 = CompileBuiltin(kDraft07Uri);
    if (k07 == nullptr)
      return InternalError("bundled draft-07 meta-schema does not compile");
    return k07;
  }
  Result<std::string> text =
      options.resolver ? options.resolver(uri) : Result<std::string>(NotFoundError("no resolver"));
  if (!text.ok()) {
    return InvalidArgumentError("unsupported $schema " + uri + ": " + text.status().message());
  }
  CompileOptions meta_options;
  meta_options.resolver = options.resolver;
  meta_options.base_uri = uri;
  Result<std::shared_ptr<const Schema>> meta = Schema::Compile(*text, meta_options);
  if (!meta.ok())
    return meta.status().WithPrefix("$schema " + uri);
  return meta;
}

}  // namespace

Result<std::shared_ptr<const Schema>> Schema::Compile(std::string_view json,
                                                      const CompileOptions& options) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root)) {
    return InvalidArgumentError(std::string("schema is not valid JSON: ") +
                                simdjson::error_message(err));
  }
  if (options.check_meta_schema) {
    std::string meta_uri(options.default_draft == Draft::k07 ? kDraft07Uri : kDraft202012Uri);
    std::string_view declared;
    if (root.is_object() && !root["$schema"].get(declared))
      meta_uri = std::string(declared);
    SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const Schema> meta, MetaSchemaFor(meta_uri, options));
    std::vector<ValidationError> errors;
    if (!meta->Validate(root, ErrorMode::kFirst, &errors)) {
      const ValidationError& e = errors.front();
      return InvalidArgumentError(
          "schema is not valid against its meta-schema: at " +
          (e.instance_location.empty() ? std::string("/") : e.instance_location) + ": " +
          e.keyword + ": " + e.message);
    }
  }
  auto compiled = std::make_unique<CompiledSchema>();
  Compiler compiler(compiled.get(), options);
  Frame fallback;
  fallback.draft = options.default_draft;
  Result<const Node*> node =
      compiler.CompileDocument(JsonValue::FromElement(root), options.base_uri, fallback);
  if (!node.ok())
    return node.status().WithPrefix("invalid schema");
  Status linked = compiler.Link();
  if (!linked.ok())
    return linked.WithPrefix("invalid schema");
  BuildFastNodes(compiled.get());
  return std::shared_ptr<const Schema>(std::make_shared<Schema>(std::move(compiled)));
}

Schema::Schema(std::unique_ptr<CompiledSchema> compiled) : compiled_(std::move(compiled)) {}

Schema::~Schema() = default;

Draft Schema::draft() const {
  return compiled_->draft;
}

bool Schema::IsValid(element instance) const {
  return Validate(instance, ErrorMode::kFirst, nullptr);
}

bool Schema::Validate(element instance, ErrorMode mode, std::vector<ValidationError>* errors,
                      size_t max_errors) const {
  if (errors == nullptr && !compiled_->uses_dynamic_ref) {
    // The fast path keeps no instance path (nothing is reported) and no dynamic scope.
    EvalContext ctx;
    return EvalNode(*compiled_->root, instance, ctx, nullptr);
  }
  // Reuse the path and scope buffers of this thread: no allocation per call once warm.
  thread_local std::vector<PathSegment> path_buffer;
  thread_local std::vector<const Resource*> scope_buffer;
  EvalContext ctx;
  ctx.errors = errors;
  ctx.all = mode == ErrorMode::kAll;
  ctx.max_errors = max_errors;
  ctx.track_scope = compiled_->uses_dynamic_ref;
  ctx.path.swap(path_buffer);
  ctx.scope.swap(scope_buffer);
  ctx.path.clear();
  ctx.scope.clear();
  bool valid = EvalNode(*compiled_->root, instance, ctx, nullptr);
  ctx.path.swap(path_buffer);
  ctx.scope.swap(scope_buffer);
  return valid;
}

LineValidator::LineValidator(const Schema& schema) : schema_(schema) {}

Result<bool> LineValidator::Validate(std::string_view json, ErrorMode mode,
                                     std::vector<ValidationError>* errors, size_t max_errors) {
  element root;
  if (auto err = parser_.parse(json.data(), json.size(), true).get(root)) {
    return InvalidArgumentError(simdjson::error_message(err));
  }
  return schema_.Validate(root, mode, errors, max_errors);
}

Result<bool> LineValidator::ValidatePadded(std::string_view json, ErrorMode mode,
                                           std::vector<ValidationError>* errors,
                                           size_t max_errors) {
  element root;
  if (auto err = parser_.parse(json.data(), json.size(), false).get(root)) {
    return InvalidArgumentError(simdjson::error_message(err));
  }
  return schema_.Validate(root, mode, errors, max_errors);
}

}  // namespace sluice::schema
