// Keywords on arrays: min/maxItems, uniqueItems, prefixItems + items (2020-12) or items +
// additionalItems (draft-07) in one pass, contains with min/maxContains, unevaluatedItems.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "schema/fast_node.h"
#include "schema/keywords.h"

namespace sluice::schema {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

class ItemCountKeyword final : public Keyword {
 public:
  ItemCountKeyword(std::string name, std::string location, bool is_max, uint64_t limit)
      : Keyword(std::move(name), std::move(location)), is_max_(is_max), limit_(limit) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::ARRAY)
      return true;
    size_t n = array(e).size();
    if (is_max_ ? n <= limit_ : n >= limit_)
      return true;
    return Fail(ctx, [&] {
      return "has " + std::to_string(n) + " items, " + (is_max_ ? "more" : "fewer") + " than " +
             std::to_string(limit_);
    });
  }

  bool Fuse(FastNode* fast) const override {
    if (is_max_) {
      fast->max_items = std::min(fast->max_items, limit_);
    } else {
      fast->min_items = std::max(fast->min_items, limit_);
    }
    fast->has_array_checks = true;
    return true;
  }

 private:
  bool is_max_;
  uint64_t limit_;
};

// A hash consistent with JsonEqual: numbers hash by value, objects ignore key order.
size_t JsonHash(element e) {
  switch (e.type()) {
    case element_type::NULL_VALUE:
      return 1;
    case element_type::BOOL:
      return bool(e) ? 2 : 3;
    case element_type::STRING:
      return std::hash<std::string_view>()(std::string_view(e));
    case element_type::ARRAY: {
      size_t h = 4;
      for (element c : array(e))
        h = h * 31 + JsonHash(c);
      return h;
    }
    case element_type::OBJECT: {
      size_t h = 5;
      for (auto f : simdjson::dom::object(e)) {
        h += std::hash<std::string_view>()(f.key) ^ (JsonHash(f.value) * 0x9e3779b97f4a7c15ULL);
      }
      return h;
    }
    default:
      return std::hash<long double>()(Number::FromElement(e).AsLongDouble() + 0.0L);
  }
}

class UniqueItemsKeyword final : public Keyword {
 public:
  explicit UniqueItemsKeyword(std::string location) : Keyword("uniqueItems", std::move(location)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::ARRAY)
      return true;
    std::vector<element> items;
    for (element c : array(e))
      items.push_back(c);
    std::unordered_multimap<size_t, size_t> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      size_t h = JsonHash(items[i]);
      auto range = seen.equal_range(h);
      for (auto it = range.first; it != range.second; ++it) {
        if (!JsonEqual(items[it->second], items[i]))
          continue;
        size_t first = it->second;
        return Fail(ctx, [&] {
          return "items " + std::to_string(first) + " and " + std::to_string(i) +
                 " are equal; items must be unique";
        });
      }
      seen.emplace(h, i);
    }
    return true;
  }
};

class ItemsKeyword final : public Keyword {
 public:
  ItemsKeyword(std::string name, std::string location, std::string rest_name,
               std::string rest_location)
      : Keyword(std::move(name), std::move(location)),
        rest_name_(std::move(rest_name)),
        rest_location_(std::move(rest_location)) {}

  std::vector<const Node*> prefix;
  const Node* rest = nullptr;

  bool Fuse(FastNode* fast) const override {
    if (fast->prefix_items != nullptr || fast->rest_items != nullptr)
      return false;
    fast->prefix_items = &prefix;
    fast->rest_items = rest;
    fast->has_array_checks = true;
    return true;
  }

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    if (e.type() != element_type::ARRAY)
      return true;
    bool valid = true;
    size_t i = 0;
    for (element item : array(e)) {
      const Node* node = i < prefix.size() ? prefix[i] : rest;
      if (node == nullptr)
        break;
      PathScope path(ctx, i);
      bool ok;
      if (i >= prefix.size() && node->boolean == 0) {
        ok = false;
        if (ctx.reporting()) {
          ctx.Report(rest_name_, rest_location_, "item is not allowed (" + rest_name_ + ": false)");
        }
      } else {
        ok = EvalNode(*node, item, ctx, nullptr);
      }
      ++i;
      if (!ok) {
        valid = false;
        if (!ctx.exhaustive())
          return false;
      }
    }
    if (valid && ann != nullptr) {
      ann->items = std::max(ann->items, std::min(i, prefix.size()));
      if (rest != nullptr)
        ann->all_items = true;
    }
    return valid;
  }

 private:
  std::string rest_name_;
  std::string rest_location_;
};

class ContainsKeyword final : public Keyword {
 public:
  ContainsKeyword(std::string location, const Node* node, uint64_t min, int64_t max)
      : Keyword("contains", std::move(location)), node_(node), min_(min), max_(max) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    if (e.type() != element_type::ARRAY)
      return true;
    uint64_t matches = 0;
    size_t i = 0;
    {
      QuietScope quiet(ctx);
      for (element item : array(e)) {
        if (EvalNode(*node_, item, ctx, nullptr)) {
          ++matches;
          if (ann != nullptr)
            ann->MarkItem(i);
          if (ann == nullptr && max_ < 0 && matches >= min_)
            break;
        }
        ++i;
      }
    }
    if (matches < min_) {
      return Fail(ctx, [&] {
        return min_ == 1
                   ? std::string("no item matches the contains schema")
                   : std::to_string(matches) + " items match the contains schema, fewer than " +
                         std::to_string(min_);
      });
    }
    if (max_ >= 0 && matches > uint64_t(max_)) {
      return Fail(ctx, [&] {
        return std::to_string(matches) + " items match the contains schema, more than " +
               std::to_string(max_);
      });
    }
    return true;
  }

 private:
  const Node* node_;
  uint64_t min_;
  int64_t max_;  // -1: none
};

class UnevaluatedItemsKeyword final : public Keyword {
 public:
  UnevaluatedItemsKeyword(std::string location, const Node* node)
      : Keyword("unevaluatedItems", std::move(location)), node_(node) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    if (e.type() != element_type::ARRAY || ann == nullptr || ann->all_items)
      return true;
    bool valid = true;
    size_t i = 0;
    for (element item : array(e)) {
      size_t index = i++;
      if (ann->ItemEvaluated(index))
        continue;
      PathScope path(ctx, index);
      bool ok =
          node_->boolean == 0
              ? Fail(ctx,
                     [] { return std::string("item is not allowed (unevaluatedItems: false)"); })
              : EvalNode(*node_, item, ctx, nullptr);
      if (!ok) {
        valid = false;
        if (!ctx.exhaustive())
          return false;
      }
    }
    if (valid)
      ann->all_items = true;
    return valid;
  }

 private:
  const Node* node_;
};

}  // namespace

SLUICE_SCHEMA_KEYWORD(CompileMinItems) {
  node->keywords.push_back(std::make_unique<ItemCountKeyword>(
      "minItems", At(frame, "minItems"), false, NonNegative(schema.Find("minItems"))));
}

SLUICE_SCHEMA_KEYWORD(CompileMaxItems) {
  node->keywords.push_back(std::make_unique<ItemCountKeyword>(
      "maxItems", At(frame, "maxItems"), true, NonNegative(schema.Find("maxItems"))));
}

SLUICE_SCHEMA_KEYWORD(CompileUniqueItems) {
  const JsonValue* v = schema.Find("uniqueItems");
  if (!v->is_bool() || !v->boolean())
    return;
  node->keywords.push_back(std::make_unique<UniqueItemsKeyword>(At(frame, "uniqueItems")));
}

SLUICE_SCHEMA_KEYWORD(CompileItems) {
  const JsonValue* items = schema.Find("items");
  std::unique_ptr<ItemsKeyword> kw;
  if (frame.draft == Draft::k202012) {
    const JsonValue* prefix = schema.Find("prefixItems");
    if (prefix == nullptr && items == nullptr)
      return;
    kw = std::make_unique<ItemsKeyword>(prefix ? "prefixItems" : "items",
                                        At(frame, prefix ? "prefixItems" : "items"), "items",
                                        At(frame, "items"));
    if (prefix != nullptr && prefix->is_array()) {
      for (size_t i = 0; i < prefix->array().size(); ++i) {
        kw->prefix.push_back(
            compiler.Sub(prefix->array()[i], frame, "prefixItems", std::to_string(i)));
      }
    }
    if (items != nullptr)
      kw->rest = compiler.Sub(*items, frame, "items");
  } else {
    if (items == nullptr)
      return;
    kw = std::make_unique<ItemsKeyword>("items", At(frame, "items"), "additionalItems",
                                        At(frame, "additionalItems"));
    if (items->is_array()) {
      for (size_t i = 0; i < items->array().size(); ++i) {
        kw->prefix.push_back(compiler.Sub(items->array()[i], frame, "items", std::to_string(i)));
      }
      if (const JsonValue* additional = schema.Find("additionalItems")) {
        kw->rest = compiler.Sub(*additional, frame, "additionalItems");
      }
    } else {
      kw->rest = compiler.Sub(*items, frame, "items");
    }
  }
  node->keywords.push_back(std::move(kw));
}

SLUICE_SCHEMA_KEYWORD(CompileContains) {
  const Node* sub = compiler.Sub(*schema.Find("contains"), frame, "contains");
  uint64_t min = 1;
  int64_t max = -1;
  if (frame.draft == Draft::k202012 && (frame.vocab & kVocabValidation)) {
    if (const JsonValue* v = schema.Find("minContains"); v && v->is_number())
      min = NonNegative(v);
    if (const JsonValue* v = schema.Find("maxContains"); v && v->is_number()) {
      max = static_cast<int64_t>(NonNegative(v));
    }
  }
  node->keywords.push_back(std::make_unique<ContainsKeyword>(At(frame, "contains"), sub, min, max));
}

SLUICE_SCHEMA_KEYWORD(CompileUnevaluatedItems) {
  const Node* sub = compiler.Sub(*schema.Find("unevaluatedItems"), frame, "unevaluatedItems");
  node->keywords.push_back(
      std::make_unique<UnevaluatedItemsKeyword>(At(frame, "unevaluatedItems"), sub));
}

}  // namespace sluice::schema
