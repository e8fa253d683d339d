// Internal: the compiled form of a schema. A Node is one (sub)schema: a boolean or a list of
// Keyword checkers run in order (`type` first, unevaluated* last). Keywords hold pointers to
// child Nodes; `$ref` targets are linked after every document is compiled, so the graph may be
// cyclic. Evaluation threads an EvalContext (error sink, instance path, dynamic scope) and an
// optional Annotations record (which properties / items were evaluated, for unevaluated*).
// Thread-safety: the graph is immutable after linking; EvalContext is per call.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>
#include <simdjson.h>

#include "schema/fast_node.h"
#include "schema/json_value.h"
#include "schema/schema.h"

namespace sluice::schema {

struct Node;

// A schema resource (a root or a subschema with `$id`): the unit of `$dynamicAnchor` lookup.
struct Resource {
  std::string uri;
  std::unordered_map<std::string, const Node*> dynamic_anchors;
};

// What in-place evaluation of one instance location has covered so far.
struct Annotations {
  bool all_props = false;
  bool all_items = false;
  size_t items = 0;              // items [0, items) were evaluated
  std::vector<bool> props;       // by field index in the instance object
  std::vector<bool> item_flags;  // by array index (from `contains`)

  void MarkProp(size_t index) {
    if (props.size() <= index)
      props.resize(index + 1);
    props[index] = true;
  }

  void MarkItem(size_t index) {
    if (item_flags.size() <= index)
      item_flags.resize(index + 1);
    item_flags[index] = true;
  }

  bool PropEvaluated(size_t index) const {
    return all_props || (index < props.size() && props[index]);
  }

  bool ItemEvaluated(size_t index) const {
    return all_items || index < items || (index < item_flags.size() && item_flags[index]);
  }

  void Merge(const Annotations& other);
};

struct PathSegment {
  std::string_view key;  // object member name, or
  int64_t index = -1;    // array index when >= 0
};

class Keyword;

struct EvalContext {
  std::vector<ValidationError>* errors = nullptr;  // nullptr: boolean result only
  bool all = false;                                // ErrorMode::kAll
  size_t max_errors = 0;                           // 0 = no limit
  int quiet = 0;             // > 0 inside anyOf/oneOf/not/if/contains trials: nothing reported
  bool track_scope = false;  // the schema uses $dynamicRef: keep the dynamic scope
  int depth = 0;
  std::vector<PathSegment> path;
  std::vector<const Resource*> scope;

  bool reporting() const { return errors != nullptr && quiet == 0; }

  // Keep evaluating after a failure (to report more errors).
  bool exhaustive() const {
    return reporting() && all && (max_errors == 0 || errors->size() < max_errors);
  }

  void Report(const Keyword& keyword, std::string message);
  void Report(std::string_view keyword, std::string_view location, std::string message);
  std::string InstancePointer() const;
};

class Keyword {
 public:
  Keyword(std::string name, std::string location)
      : name_(std::move(name)), location_(std::move(location)) {}

  virtual ~Keyword() = default;

  // True when `instance` passes. `ann` (nullable) receives what this keyword evaluated.
  virtual bool Eval(simdjson::dom::element instance, EvalContext& ctx, Annotations* ann) const = 0;

  // Adds this keyword's checks to the boolean-only form of its node and returns true, or
  // returns false when it has no such form (then the node has none). Called once, after
  // linking.
  virtual bool Fuse(FastNode*) const { return false; }

  const std::string& name() const { return name_; }

  const std::string& location() const { return location_; }

 protected:
  // Reports (building the message only when someone listens) and returns false.
  template <typename MakeMessage>
  bool Fail(EvalContext& ctx, MakeMessage&& make_message) const {
    if (ctx.reporting())
      ctx.Report(*this, make_message());
    return false;
  }

 private:
  std::string name_;
  std::string location_;
};

struct Node {
  int8_t boolean = -1;  // 0: false schema, 1: true schema, -1: keywords below
  bool has_unevaluated = false;
  const Resource* resource = nullptr;
  std::string location;  // schema pointer (with "uri#" outside the root document)
  std::vector<std::unique_ptr<Keyword>> keywords;
  std::unique_ptr<FastNode> fast;  // the boolean-only form, when every keyword has one
};

// Nesting of node evaluations beyond which evaluation fails (a `$ref` cycle that consumes no
// instance depth).
constexpr int kMaxEvalDepth = 400;

// Evaluates `node` at `instance`; see Keyword::Eval.
bool EvalNode(const Node& node, simdjson::dom::element instance, EvalContext& ctx,
              Annotations* ann);

// RAII: pushes an instance path segment for a child evaluation. The path is only read when an
// error is reported, so a call without an error sink (the fast path) keeps none.
class PathScope {
 public:
  PathScope(EvalContext& ctx, std::string_view key) : ctx_(ctx), active_(ctx.errors != nullptr) {
    if (active_)
      ctx.path.push_back({key, -1});
  }

  PathScope(EvalContext& ctx, size_t index) : ctx_(ctx), active_(ctx.errors != nullptr) {
    if (active_)
      ctx.path.push_back({{}, static_cast<int64_t>(index)});
  }

  ~PathScope() {
    if (active_)
      ctx_.path.pop_back();
  }

  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  EvalContext& ctx_;
  bool active_;
};

// RAII: silences reporting while trying subschemas whose failure is not itself an error.
class QuietScope {
 public:
  explicit QuietScope(EvalContext& ctx) : ctx_(ctx) { ++ctx.quiet; }

  ~QuietScope() { --ctx_.quiet; }

  QuietScope(const QuietScope&) = delete;
  QuietScope& operator=(const QuietScope&) = delete;

 private:
  EvalContext& ctx_;
};

struct CompiledSchema {
  Draft draft = Draft::k202012;
  bool uses_dynamic_ref = false;
  const Node* root = nullptr;
  std::deque<JsonValue> documents;  // every document the graph points into
  std::deque<Node> nodes;
  std::deque<Resource> resources;
  std::vector<std::unique_ptr<RE2>> regexes;
};

// Gives every node whose keywords all fuse its FastNode. REQUIRES: the graph is linked.
void BuildFastNodes(CompiledSchema* schema);

}  // namespace sluice::schema
