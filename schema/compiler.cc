#include "schema/compiler.h"

#include "schema/ecma_regex.h"
#include "schema/meta_schemas.h"
#include "schema/uri.h"

namespace sluice::schema {

namespace {

struct VocabName {
  std::string_view uri;
  Vocab bit;
};

constexpr VocabName kVocabNames[] = {
    {"https://json-schema.org/draft/2020-12/vocab/core", kVocabCore},
    {"https://json-schema.org/draft/2020-12/vocab/applicator", kVocabApplicator},
    {"https://json-schema.org/draft/2020-12/vocab/unevaluated", kVocabUnevaluated},
    {"https://json-schema.org/draft/2020-12/vocab/validation", kVocabValidation},
    {"https://json-schema.org/draft/2020-12/vocab/meta-data", kVocabMetaData},
    {"https://json-schema.org/draft/2020-12/vocab/format-annotation", kVocabFormatAnnotation},
    {"https://json-schema.org/draft/2020-12/vocab/format-assertion", kVocabFormatAssertion},
    {"https://json-schema.org/draft/2020-12/vocab/content", kVocabContent},
};

std::string StripEmptyFragment(std::string uri) {
  if (!uri.empty() && uri.back() == '#')
    uri.pop_back();
  return uri;
}

}  // namespace

void Annotations::Merge(const Annotations& other) {
  all_props |= other.all_props;
  all_items |= other.all_items;
  if (other.items > items)
    items = other.items;
  if (other.props.size() > props.size())
    props.resize(other.props.size());
  for (size_t i = 0; i < other.props.size(); ++i) {
    if (other.props[i])
      props[i] = true;
  }
  if (other.item_flags.size() > item_flags.size())
    item_flags.resize(other.item_flags.size());
  for (size_t i = 0; i < other.item_flags.size(); ++i) {
    if (other.item_flags[i])
      item_flags[i] = true;
  }
}

Compiler::Compiler(CompiledSchema* out, const CompileOptions& options)
    : out_(out), options_(options) {}

void Compiler::SetError(Status status) {
  if (error_.ok())
    error_ = std::move(status);
}

namespace {

Result<std::string> FetchDocument(const std::string& uri, const CompileOptions& options) {
  if (const MetaSchema* meta = FindBuiltinMetaSchema(uri))
    return std::string(meta->text);
  if (!options.resolver)
    return NotFoundError("no resolver for " + uri);
  return options.resolver(uri);
}

}  // namespace

Status Compiler::DraftOf(const JsonValue& doc, const Frame& fallback, Frame* frame) {
  *frame = fallback;
  const JsonValue* s = doc.Find("$schema");
  if (s == nullptr || !s->is_string())
    return Status::Ok();
  std::string uri = StripEmptyFragment(s->str());
  if (uri == kDraft202012Uri) {
    frame->draft = Draft::k202012;
    frame->vocab = kVocabAll2020;
    return Status::Ok();
  }
  if (uri == kDraft07Uri) {
    frame->draft = Draft::k07;
    frame->vocab = kVocabAll2020;
    return Status::Ok();
  }
  // A custom meta-schema: its own $schema names the draft, its $vocabulary the keywords.
  Result<std::string> text = FetchDocument(uri, options_);
  if (!text.ok()) {
    return InvalidArgumentError("unsupported $schema " + uri + ": " + text.status().message());
  }
  SLUICE_ASSIGN_OR_RETURN(JsonValue meta, ParseJsonValue(*text));
  Frame meta_frame;
  if (const JsonValue* ms = meta.Find("$schema");
      ms && ms->is_string() && StripEmptyFragment(ms->str()) == kDraft07Uri) {
    meta_frame.draft = Draft::k07;
  }
  frame->draft = meta_frame.draft;
  frame->vocab = kVocabAll2020;
  const JsonValue* vocabulary = meta.Find("$vocabulary");
  if (vocabulary == nullptr || !vocabulary->is_object())
    return Status::Ok();
  frame->vocab = kVocabCore;
  for (const auto& [name, required] : vocabulary->object()) {
    bool known = false;
    for (const VocabName& v : kVocabNames) {
      if (v.uri == name) {
        frame->vocab |= v.bit;
        known = true;
      }
    }
    if (!known && required.is_bool() && required.boolean()) {
      return InvalidArgumentError("$schema " + uri + " requires unknown vocabulary " + name);
    }
  }
  return Status::Ok();
}

Result<const Node*> Compiler::CompileDocument(JsonValue doc, const std::string& uri,
                                              const Frame& fallback) {
  bool is_root = out_->root == nullptr;
  out_->documents.push_back(std::move(doc));
  const JsonValue& d = out_->documents.back();
  Frame frame;
  SLUICE_RETURN_IF_ERROR(DraftOf(d, fallback, &frame));
  frame.base = uri;
  frame.location = is_root ? "" : uri + "#";
  Resource& resource = out_->resources.emplace_back();
  resource.uri = uri;
  frame.resource = &resource;
  resources_[uri] = Doc{&d, frame};
  if (is_root)
    out_->draft = frame.draft;
  Node* node = CompileNode(d, frame);
  if (is_root)
    out_->root = node;
  if (!error_.ok())
    return error_;
  return static_cast<const Node*>(node);
}

const Node* Compiler::Sub(const JsonValue& value, const Frame& parent, std::string_view token) {
  Frame f = parent;
  f.location.push_back('/');
  f.location.append(EscapePointerToken(token));
  return CompileNode(value, std::move(f));
}

const Node* Compiler::Sub(const JsonValue& value, const Frame& parent, std::string_view token,
                          std::string_view token2) {
  Frame f = parent;
  f.location.push_back('/');
  f.location.append(EscapePointerToken(token));
  f.location.push_back('/');
  f.location.append(EscapePointerToken(token2));
  return CompileNode(value, std::move(f));
}

Node* Compiler::CompileNode(const JsonValue& value, Frame frame) {
  if (auto it = node_by_value_.find(&value); it != node_by_value_.end())
    return it->second;
  Node* node = &out_->nodes.emplace_back();
  node_by_value_[&value] = node;
  node->location = frame.location;
  node->resource = frame.resource;
  if (value.is_bool()) {
    node->boolean = value.boolean() ? 1 : 0;
    return node;
  }
  if (!value.is_object()) {
    SetError(InvalidArgumentError("at " + (frame.location.empty() ? "/" : frame.location) +
                                  ": a schema must be an object or a boolean"));
    node->boolean = 1;
    return node;
  }
  bool draft7_ref = frame.draft == Draft::k07 && value.Find("$ref") != nullptr;
  const JsonValue* id = value.Find("$id");
  if (!draft7_ref && id != nullptr && id->is_string()) {
    std::string resolved = ResolveUri(frame.base, id->str());
    std::string_view base, fragment;
    SplitFragment(resolved, &base, &fragment);
    if (frame.draft == Draft::k07 && !fragment.empty()) {
      anchors_[std::string(base) + "#" + std::string(fragment)] = node;
    }
    if (base != frame.base) {
      Resource& r = out_->resources.emplace_back();
      r.uri = std::string(base);
      frame.resource = &r;
      frame.base = r.uri;
      node->resource = &r;
      resources_[r.uri] = Doc{&value, frame};
    }
  }
  if (frame.draft == Draft::k202012) {
    if (const JsonValue* a = value.Find("$anchor"); a && a->is_string()) {
      anchors_[frame.base + "#" + a->str()] = node;
    }
    if (const JsonValue* a = value.Find("$dynamicAnchor"); a && a->is_string()) {
      anchors_[frame.base + "#" + a->str()] = node;
      frame.resource->dynamic_anchors[a->str()] = node;
    }
  }
  CompileKeywords(*this, value, frame, node);
  return node;
}

void Compiler::AddRef(RefSlot* slot, std::string_view ref, const Frame& frame, bool dynamic) {
  pending_.push_back({slot, ResolveUri(frame.base, ref), dynamic, frame.location});
}

const RE2* Compiler::Regex(const std::string& pattern, const std::string& location) {
  Result<std::unique_ptr<RE2>> re = CompileEcmaRegex(pattern);
  if (!re.ok()) {
    SetError(InvalidArgumentError("at " + location + ": " + re.status().message()));
    return nullptr;
  }
  out_->regexes.push_back(std::move(*re));
  return out_->regexes.back().get();
}

Status Compiler::LoadDocument(const std::string& uri, const std::string& from) {
  Result<std::string> text = FetchDocument(uri, options_);
  if (!text.ok()) {
    return InvalidArgumentError("at " + from + ": cannot resolve $ref " + uri + ": " +
                                text.status().message());
  }
  Result<JsonValue> doc = ParseJsonValue(*text);
  if (!doc.ok()) {
    return InvalidArgumentError("at " + from + ": $ref " + uri +
                                " is not JSON: " + doc.status().message());
  }
  Frame fallback;
  fallback.draft = out_->draft;
  Result<const Node*> node = CompileDocument(std::move(*doc), uri, fallback);
  return node.ok() ? Status::Ok() : node.status();
}

Result<const Node*> Compiler::ResolveUriToNode(const std::string& uri, const std::string& from) {
  std::string_view base_view, fragment;
  SplitFragment(uri, &base_view, &fragment);
  std::string base(base_view);
  if (resources_.find(base) == resources_.end())
    SLUICE_RETURN_IF_ERROR(LoadDocument(base, from));
  auto it = resources_.find(base);
  if (it == resources_.end())
    return InvalidArgumentError("at " + from + ": cannot resolve " + uri);
  const Doc doc = it->second;
  if (fragment.empty())
    return static_cast<const Node*>(CompileNode(*doc.root, doc.frame));
  if (fragment[0] != '/') {
    auto a = anchors_.find(base + "#" + PercentDecode(fragment));
    if (a == anchors_.end()) {
      return InvalidArgumentError("at " + from + ": $ref " + uri + " names no anchor");
    }
    return a->second;
  }
  std::vector<std::string> tokens;
  if (!ParseJsonPointer(PercentDecode(fragment), &tokens)) {
    return InvalidArgumentError("at " + from + ": $ref " + uri + " has a bad JSON pointer");
  }
  const JsonValue* cur = doc.root;
  for (const std::string& t : tokens) {
    const JsonValue* next = nullptr;
    if (cur->is_object()) {
      next = cur->Find(t);
    } else if (cur->is_array()) {
      char* end = nullptr;
      unsigned long idx = std::strtoul(t.c_str(), &end, 10);
      if (!t.empty() && *end == '\0' && idx < cur->array().size())
        next = &cur->array()[idx];
    }
    if (next == nullptr) {
      return InvalidArgumentError("at " + from + ": $ref " + uri + " points at nothing");
    }
    cur = next;
  }
  Frame frame = doc.frame;
  frame.location += PercentDecode(fragment);
  return static_cast<const Node*>(CompileNode(*cur, frame));
}

Status Compiler::Resolve(const PendingRef& ref) {
  SLUICE_ASSIGN_OR_RETURN(const Node* target, ResolveUriToNode(ref.uri, ref.location));
  ref.slot->target = target;
  if (ref.dynamic) {
    std::string_view base, fragment;
    SplitFragment(ref.uri, &base, &fragment);
    if (!fragment.empty() && fragment[0] != '/' && target->resource != nullptr) {
      auto it = target->resource->dynamic_anchors.find(std::string(fragment));
      if (it != target->resource->dynamic_anchors.end() && it->second == target) {
        ref.slot->dynamic_anchor = std::string(fragment);
        out_->uses_dynamic_ref = true;
      }
    }
  }
  return error_;
}

Status Compiler::Link() {
  while (!pending_.empty()) {
    PendingRef ref = std::move(pending_.back());
    pending_.pop_back();
    SLUICE_RETURN_IF_ERROR(Resolve(ref));
  }
  return error_;
}

}  // namespace sluice::schema
