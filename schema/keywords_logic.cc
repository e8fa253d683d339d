// In-place applicators: $ref, $dynamicRef, $defs / definitions (compiled for their $id and
// anchors), allOf, anyOf, oneOf, not, if / then / else.
#include <string>
#include <vector>

#include "schema/fast_node.h"
#include "schema/keywords.h"

namespace sluice::schema {

using simdjson::dom::element;

namespace {

class RefKeyword final : public Keyword {
 public:
  using Keyword::Keyword;
  RefSlot slot;

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    const Node* target = slot.target;
    if (!slot.dynamic_anchor.empty()) {
      // The outermost resource in the dynamic scope that declares the anchor wins.
      for (const Resource* r : ctx.scope) {
        auto it = r->dynamic_anchors.find(slot.dynamic_anchor);
        if (it != r->dynamic_anchors.end()) {
          target = it->second;
          break;
        }
      }
    }
    return EvalNode(*target, e, ctx, ann);
  }

  bool Fuse(FastNode* fast) const override {
    if (!slot.dynamic_anchor.empty())
      return false;
    fast->applicators.push_back({FastNode::Apply::kAll, {slot.target}});
    return true;
  }
};

class AllOfKeyword final : public Keyword {
 public:
  AllOfKeyword(std::string location, std::vector<const Node*> nodes)
      : Keyword("allOf", std::move(location)), nodes_(std::move(nodes)) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    bool valid = true;
    for (const Node* node : nodes_) {
      if (EvalNode(*node, e, ctx, ann))
        continue;
      valid = false;
      if (!ctx.exhaustive())
        return false;
    }
    return valid;
  }

  bool Fuse(FastNode* fast) const override {
    fast->applicators.push_back({FastNode::Apply::kAll, nodes_});
    return true;
  }

 private:
  std::vector<const Node*> nodes_;
};

class AnyOfKeyword final : public Keyword {
 public:
  AnyOfKeyword(std::string location, std::vector<const Node*> nodes)
      : Keyword("anyOf", std::move(location)), nodes_(std::move(nodes)) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    bool any = false;
    {
      QuietScope quiet(ctx);
      for (const Node* node : nodes_) {
        Annotations branch;
        if (!EvalNode(*node, e, ctx, ann ? &branch : nullptr))
          continue;
        any = true;
        if (ann == nullptr)
          break;  // annotations need every valid branch
        ann->Merge(branch);
      }
    }
    if (any)
      return true;
    return Fail(ctx, [&] {
      return RenderShort(e) + " matches none of the " + std::to_string(nodes_.size()) +
             " anyOf alternatives";
    });
  }

  bool Fuse(FastNode* fast) const override {
    fast->applicators.push_back({FastNode::Apply::kAny, nodes_});
    return true;
  }

 private:
  std::vector<const Node*> nodes_;
};

class OneOfKeyword final : public Keyword {
 public:
  OneOfKeyword(std::string location, std::vector<const Node*> nodes)
      : Keyword("oneOf", std::move(location)), nodes_(std::move(nodes)) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    size_t matched[2];
    size_t matches = 0;
    Annotations kept;
    {
      QuietScope quiet(ctx);
      for (size_t i = 0; i < nodes_.size(); ++i) {
        Annotations branch;
        if (!EvalNode(*nodes_[i], e, ctx, ann ? &branch : nullptr))
          continue;
        matched[matches++] = i;
        if (matches > 1)
          break;
        if (ann != nullptr)
          kept = std::move(branch);
      }
    }
    if (matches == 1) {
      if (ann != nullptr)
        ann->Merge(kept);
      return true;
    }
    return Fail(ctx, [&] {
      if (matches == 0) {
        return RenderShort(e) + " matches none of the " + std::to_string(nodes_.size()) +
               " oneOf alternatives";
      }
      return RenderShort(e) + " matches oneOf alternatives " + std::to_string(matched[0]) +
             " and " + std::to_string(matched[1]) + "; exactly one must match";
    });
  }

  bool Fuse(FastNode* fast) const override {
    fast->applicators.push_back({FastNode::Apply::kOne, nodes_});
    return true;
  }

 private:
  std::vector<const Node*> nodes_;
};

class NotKeyword final : public Keyword {
 public:
  NotKeyword(std::string location, const Node* node)
      : Keyword("not", std::move(location)), node_(node) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    bool matched;
    {
      QuietScope quiet(ctx);
      matched = EvalNode(*node_, e, ctx, nullptr);
    }
    if (!matched)
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " must not match the schema under not"; });
  }

  bool Fuse(FastNode* fast) const override {
    fast->applicators.push_back({FastNode::Apply::kNot, {node_}});
    return true;
  }

 private:
  const Node* node_;
};

class IfThenElseKeyword final : public Keyword {
 public:
  IfThenElseKeyword(std::string location, const Node* if_node, const Node* then_node,
                    const Node* else_node)
      : Keyword("if", std::move(location)), if_(if_node), then_(then_node), else_(else_node) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    Annotations cond_ann;
    bool cond;
    {
      QuietScope quiet(ctx);
      cond = EvalNode(*if_, e, ctx, ann ? &cond_ann : nullptr);
    }
    if (cond && ann != nullptr)
      ann->Merge(cond_ann);
    const Node* next = cond ? then_ : else_;
    return next == nullptr || EvalNode(*next, e, ctx, ann);
  }

  bool Fuse(FastNode* fast) const override {
    fast->applicators.push_back({FastNode::Apply::kIf, {if_, then_, else_}});
    return true;
  }

 private:
  const Node* if_;
  const Node* then_;
  const Node* else_;
};

std::vector<const Node*> SubArray(Compiler& compiler, const JsonValue& schema, const Frame& frame,
                                  const char* keyword) {
  std::vector<const Node*> nodes;
  const JsonValue* v = schema.Find(keyword);
  if (!v->is_array())
    return nodes;
  for (size_t i = 0; i < v->array().size(); ++i) {
    nodes.push_back(compiler.Sub(v->array()[i], frame, keyword, std::to_string(i)));
  }
  return nodes;
}

void AddRef(Compiler& compiler, const JsonValue& schema, const Frame& frame, Node* node,
            const char* keyword, bool dynamic) {
  const JsonValue* v = schema.Find(keyword);
  if (!v->is_string())
    return;
  auto kw = std::make_unique<RefKeyword>(keyword, At(frame, keyword));
  compiler.AddRef(&kw->slot, v->str(), frame, dynamic);
  node->keywords.push_back(std::move(kw));
}

}  // namespace

SLUICE_SCHEMA_KEYWORD(CompileRef) {
  AddRef(compiler, schema, frame, node, "$ref", false);
}

SLUICE_SCHEMA_KEYWORD(CompileDynamicRef) {
  AddRef(compiler, schema, frame, node, "$dynamicRef", true);
}

SLUICE_SCHEMA_KEYWORD(CompileDefs) {
  const char* keyword = frame.draft == Draft::k07 ? "definitions" : "$defs";
  const JsonValue* v = schema.Find(keyword);
  if (!v->is_object())
    return;
  for (const auto& [name, sub] : v->object())
    compiler.Sub(sub, frame, keyword, name);
}

SLUICE_SCHEMA_KEYWORD(CompileAllOf) {
  node->keywords.push_back(std::make_unique<AllOfKeyword>(
      At(frame, "allOf"), SubArray(compiler, schema, frame, "allOf")));
}

SLUICE_SCHEMA_KEYWORD(CompileAnyOf) {
  node->keywords.push_back(std::make_unique<AnyOfKeyword>(
      At(frame, "anyOf"), SubArray(compiler, schema, frame, "anyOf")));
}

SLUICE_SCHEMA_KEYWORD(CompileOneOf) {
  node->keywords.push_back(std::make_unique<OneOfKeyword>(
      At(frame, "oneOf"), SubArray(compiler, schema, frame, "oneOf")));
}

SLUICE_SCHEMA_KEYWORD(CompileNot) {
  node->keywords.push_back(std::make_unique<NotKeyword>(
      At(frame, "not"), compiler.Sub(*schema.Find("not"), frame, "not")));
}

SLUICE_SCHEMA_KEYWORD(CompileIfThenElse) {
  const JsonValue* i = schema.Find("if");
  const JsonValue* t = schema.Find("then");
  const JsonValue* e = schema.Find("else");
  if (i == nullptr) {  // then / else alone do nothing, but may hold an $id or anchor
    if (t)
      compiler.Sub(*t, frame, "then");
    if (e)
      compiler.Sub(*e, frame, "else");
    return;
  }
  const Node* if_node = compiler.Sub(*i, frame, "if");
  // Kept without then / else too: a valid `if` still adds annotations for unevaluated*.
  const Node* then_node = t ? compiler.Sub(*t, frame, "then") : nullptr;
  const Node* else_node = e ? compiler.Sub(*e, frame, "else") : nullptr;
  node->keywords.push_back(
      std::make_unique<IfThenElseKeyword>(At(frame, "if"), if_node, then_node, else_node));
}

}  // namespace sluice::schema
