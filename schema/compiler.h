// Internal: turns schema documents (JsonValue trees) into the Node graph of compiled_schema.h.
// Compiles eagerly through every keyword known to the document's draft and vocabularies,
// registers `$id` resources, `$anchor`s and `$dynamicAnchor`s, and queues `$ref`s; Link()
// then resolves the queue, loading further documents (bundled meta-schemas, then the
// resolver) and compiling the targets of JSON Pointer fragments on demand. Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

#include "common/result.h"
#include "schema/compiled_schema.h"

namespace sluice::schema {

// Vocabulary bits (2020-12 names; draft-07 documents enable all that draft-07 knows).
enum Vocab : uint32_t {
  kVocabCore = 1,
  kVocabApplicator = 2,
  kVocabUnevaluated = 4,
  kVocabValidation = 8,
  kVocabMetaData = 16,
  kVocabFormatAnnotation = 32,
  kVocabFormatAssertion = 64,
  kVocabContent = 128,
  kVocabAll2020 = 255 & ~kVocabFormatAssertion,
};

// Where a (sub)schema sits while it is compiled.
struct Frame {
  std::string base;      // base URI in force
  std::string location;  // schema pointer for messages ("uri#/ptr" outside the root document)
  Resource* resource = nullptr;
  Draft draft = Draft::k202012;
  uint32_t vocab = kVocabAll2020;
};

// A `$ref` / `$dynamicRef` target to fill in at link time.
struct RefSlot {
  const Node* target = nullptr;
  std::string dynamic_anchor;  // non-empty: a 2020-12 dynamic reference to this anchor name
};

class Compiler {
 public:
  Compiler(CompiledSchema* out, const CompileOptions& options);

  // Compiles a whole document whose retrieval URI is `uri` ("" for an anonymous root).
  // `fallback` supplies the draft when the document has no `$schema`.
  Result<const Node*> CompileDocument(JsonValue doc, const std::string& uri, const Frame& fallback);

  // Compiles the subschema `value` found at `parent.location` + "/" + tokens.
  const Node* Sub(const JsonValue& value, const Frame& parent, std::string_view token);
  const Node* Sub(const JsonValue& value, const Frame& parent, std::string_view token,
                  std::string_view token2);

  // Queues `ref` (relative to `frame.base`) to be resolved into `slot` by Link().
  void AddRef(RefSlot* slot, std::string_view ref, const Frame& frame, bool dynamic);

  // Compiles an ECMA-262 pattern; records a schema error naming `location` on failure.
  const RE2* Regex(const std::string& pattern, const std::string& location);

  // Records the first compile error (later ones are dropped).
  void SetError(Status status);

  const Status& error() const { return error_; }

  const CompileOptions& options() const { return options_; }

  CompiledSchema& out() { return *out_; }

  // Resolves every queued reference. REQUIRES: CompileDocument succeeded.
  Status Link();

 private:
  struct PendingRef {
    RefSlot* slot;
    std::string uri;  // absolute (resolved) reference
    bool dynamic;
    std::string location;
  };

  struct Doc {
    const JsonValue* root;
    Frame frame;  // of the resource root
  };

  Node* CompileNode(const JsonValue& value, Frame frame);
  Status Resolve(const PendingRef& ref);
  Result<const Node*> ResolveUriToNode(const std::string& uri, const std::string& from);
  Status LoadDocument(const std::string& uri, const std::string& from);
  Status DraftOf(const JsonValue& doc, const Frame& fallback, Frame* frame);

  CompiledSchema* out_;
  const CompileOptions& options_;
  Status error_;
  std::unordered_map<const JsonValue*, Node*> node_by_value_;
  std::unordered_map<std::string, Doc> resources_;        // by absolute URI without fragment
  std::unordered_map<std::string, const Node*> anchors_;  // "uri#name"
  std::vector<PendingRef> pending_;
  std::vector<std::shared_ptr<const Schema>> meta_schemas_;  // custom ones, kept alive
};

// The keyword compilers, one registry shared by both drafts (schema/keyword_registry.cc).
using KeywordFactory = void (*)(Compiler& compiler, const JsonValue& schema, const Frame& frame,
                                Node* node);
void CompileKeywords(Compiler& compiler, const JsonValue& schema, const Frame& frame, Node* node);

}  // namespace sluice::schema
