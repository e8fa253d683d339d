// Which keywords each draft and vocabulary enables, in evaluation order, and the evaluation of
// one Node.
#include "schema/keywords.h"
#include "schema/uri.h"

namespace sluice::schema {

namespace {

constexpr uint8_t k2020 = 1, k07 = 2, kBoth = 3;

struct Entry {
  const char* names[3];  // any present enables the entry
  uint32_t vocab;
  uint8_t drafts;
  KeywordFactory factory;
};

// Cheap, type-deciding checks first; applicators later; unevaluated* last (they read the
// annotations of everything before them).
constexpr Entry kRegistry[] = {
    {{"type"}, kVocabValidation, kBoth, CompileType},
    {{"const"}, kVocabValidation, kBoth, CompileConst},
    {{"enum"}, kVocabValidation, kBoth, CompileEnum},
    {{"minimum"}, kVocabValidation, kBoth, CompileMinimum},
    {{"maximum"}, kVocabValidation, kBoth, CompileMaximum},
    {{"exclusiveMinimum"}, kVocabValidation, kBoth, CompileExclusiveMinimum},
    {{"exclusiveMaximum"}, kVocabValidation, kBoth, CompileExclusiveMaximum},
    {{"multipleOf"}, kVocabValidation, kBoth, CompileMultipleOf},
    {{"minLength"}, kVocabValidation, kBoth, CompileMinLength},
    {{"maxLength"}, kVocabValidation, kBoth, CompileMaxLength},
    {{"pattern"}, kVocabValidation, kBoth, CompilePattern},
    {{"format"}, kVocabFormatAnnotation | kVocabFormatAssertion, kBoth, CompileFormat},
    {{"required"}, kVocabValidation, kBoth, CompileRequired},
    {{"minProperties"}, kVocabValidation, kBoth, CompileMinProperties},
    {{"maxProperties"}, kVocabValidation, kBoth, CompileMaxProperties},
    {{"dependentRequired"}, kVocabValidation, k2020, CompileDependentRequired},
    {{"minItems"}, kVocabValidation, kBoth, CompileMinItems},
    {{"maxItems"}, kVocabValidation, kBoth, CompileMaxItems},
    {{"uniqueItems"}, kVocabValidation, kBoth, CompileUniqueItems},
    {{"$defs"}, kVocabCore, k2020, CompileDefs},
    {{"definitions"}, kVocabCore, k07, CompileDefs},
    {{"$ref"}, kVocabCore, kBoth, CompileRef},
    {{"$dynamicRef"}, kVocabCore, k2020, CompileDynamicRef},
    {{"properties", "patternProperties", "additionalProperties"},
     kVocabApplicator,
     kBoth,
     CompileObjectApplicators},
    {{"propertyNames"}, kVocabApplicator, kBoth, CompilePropertyNames},
    {{"dependentSchemas"}, kVocabApplicator, k2020, CompileDependentSchemas},
    {{"dependencies"}, kVocabApplicator, k07, CompileDependencies},
    {{"prefixItems", "items", "additionalItems"}, kVocabApplicator, kBoth, CompileItems},
    {{"contains"}, kVocabApplicator, kBoth, CompileContains},
    {{"allOf"}, kVocabApplicator, kBoth, CompileAllOf},
    {{"anyOf"}, kVocabApplicator, kBoth, CompileAnyOf},
    {{"oneOf"}, kVocabApplicator, kBoth, CompileOneOf},
    {{"not"}, kVocabApplicator, kBoth, CompileNot},
    {{"if", "then", "else"}, kVocabApplicator, kBoth, CompileIfThenElse},
    {{"unevaluatedProperties"}, kVocabUnevaluated, k2020, CompileUnevaluatedProperties},
    {{"unevaluatedItems"}, kVocabUnevaluated, k2020, CompileUnevaluatedItems},
};

}  // namespace

void CompileKeywords(Compiler& compiler, const JsonValue& schema, const Frame& frame, Node* node) {
  uint8_t draft = frame.draft == Draft::k07 ? k07 : k2020;
  // Draft-07: "All other properties in a "$ref" object MUST be ignored."
  bool ref_only = frame.draft == Draft::k07 && schema.Find("$ref") != nullptr;
  for (const Entry& e : kRegistry) {
    if (!(e.drafts & draft) || !(e.vocab & frame.vocab))
      continue;
    if (ref_only && e.factory != CompileRef && e.factory != CompileDefs)
      continue;
    bool present = false;
    for (const char* name : e.names) {
      if (name != nullptr && schema.Find(name) != nullptr)
        present = true;
    }
    if (present)
      e.factory(compiler, schema, frame, node);
  }
  node->has_unevaluated = frame.draft == Draft::k202012 && (frame.vocab & kVocabUnevaluated) &&
                          (schema.Find("unevaluatedProperties") || schema.Find("unevaluatedItems"));
}

void EvalContext::Report(const Keyword& keyword, std::string message) {
  Report(keyword.name(), keyword.location(), std::move(message));
}

void EvalContext::Report(std::string_view keyword, std::string_view location, std::string message) {
  if (max_errors != 0 && errors->size() >= max_errors)
    return;
  ValidationError& e = errors->emplace_back();
  e.instance_location = InstancePointer();
  e.schema_location = std::string(location);
  e.keyword = std::string(keyword);
  if (!path.empty()) {
    const PathSegment& last = path.back();
    e.message = "`" + (last.index >= 0 ? std::to_string(last.index) : std::string(last.key)) +
                "`: " + message;
  } else {
    e.message = std::move(message);
  }
}

std::string EvalContext::InstancePointer() const {
  std::string out;
  for (const PathSegment& s : path) {
    out.push_back('/');
    out.append(s.index >= 0 ? std::to_string(s.index) : EscapePointerToken(s.key));
  }
  return out;
}

namespace {

class FalseSchema final : public Keyword {
 public:
  using Keyword::Keyword;

  bool Eval(simdjson::dom::element, EvalContext& ctx, Annotations*) const override {
    return Fail(ctx, [] { return std::string("no value is allowed here (schema is false)"); });
  }
};

class DepthGuard final : public Keyword {
 public:
  using Keyword::Keyword;

  bool Eval(simdjson::dom::element, EvalContext& ctx, Annotations*) const override {
    return Fail(ctx, [] { return std::string("schema recursion is too deep (a $ref cycle?)"); });
  }
};

}  // namespace

namespace {

// Runs the keywords of `node` in order; stops at the first failure unless reporting all.
bool EvalKeywords(const Node& node, simdjson::dom::element instance, EvalContext& ctx,
                  Annotations* ann) {
  bool valid = true;
  for (const auto& kw : node.keywords) {
    if (!kw->Eval(instance, ctx, ann)) {
      valid = false;
      if (!ctx.exhaustive())
        break;
    }
  }
  return valid;
}

// EvalNode for a node that reads annotations (unevaluated*) or a schema with $dynamicRef
// (which needs the dynamic scope).
bool EvalNodeTracked(const Node& node, simdjson::dom::element instance, EvalContext& ctx,
                     Annotations* ann) {
  bool pushed = false;
  if (ctx.track_scope && (ctx.scope.empty() || ctx.scope.back() != node.resource)) {
    ctx.scope.push_back(node.resource);
    pushed = true;
  }
  bool valid;
  if (node.has_unevaluated) {
    Annotations local;
    valid = EvalKeywords(node, instance, ctx, &local);
    if (valid && ann != nullptr)
      ann->Merge(local);
  } else {
    valid = EvalKeywords(node, instance, ctx, ann);
  }
  if (pushed)
    ctx.scope.pop_back();
  return valid;
}

}  // namespace

bool EvalNode(const Node& node, simdjson::dom::element instance, EvalContext& ctx,
              Annotations* ann) {
  if (node.boolean == 1)
    return true;
  if (node.boolean == 0) {
    static const FalseSchema kFalse("false", "");
    if (ctx.reporting()) {
      FalseSchema here("false", node.location);
      return here.Eval(instance, ctx, ann);
    }
    return kFalse.Eval(instance, ctx, ann);
  }
  if (ctx.depth >= kMaxEvalDepth) {
    DepthGuard guard("$ref", node.location);
    return guard.Eval(instance, ctx, ann);
  }
  ++ctx.depth;
  bool valid;
  if (node.fast != nullptr && ann == nullptr && !ctx.track_scope && !ctx.reporting()) {
    valid = EvalFast(*node.fast, instance, ctx);
  } else if (node.has_unevaluated || ctx.track_scope) {
    valid = EvalNodeTracked(node, instance, ctx, ann);
  } else {
    valid = EvalKeywords(node, instance, ctx, ann);
  }
  --ctx.depth;
  return valid;
}

}  // namespace sluice::schema
