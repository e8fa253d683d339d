#include "schema/fast_node.h"

#include "schema/compiled_schema.h"

namespace sluice::schema {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

EnumSet::EnumSet(const std::vector<const JsonValue*>& values) {
  std::vector<std::string_view> strings;
  for (const JsonValue* v : values) {
    if (v->is_string()) {
      strings.push_back(v->str());
    } else {
      others_.push_back(v);
    }
  }
  strings_ = NameTable(strings);
}

bool EnumSet::Contains(element e) const {
  if (e.type() == element_type::STRING)
    return strings_.Find(std::string_view(e)) >= 0;  // a string equals only strings
  for (const JsonValue* v : others_) {
    if (JsonEqual(*v, e))
      return true;
  }
  return false;
}

namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& names) {
  return std::vector<std::string_view>(names.begin(), names.end());
}

}  // namespace

RequiredSet::RequiredSet(std::vector<std::string> names)
    : names_(std::move(names)), table_(Views(names_)) {
  for (const std::string& name : names_) {
    int i = table_.Find(name);
    if (i < 64)
      all_ |= uint64_t(1) << i;
  }
}

bool RequiredSet::AllPresent(object obj) const {
  if (names_.empty())
    return true;
  if (names_.size() > 64) {
    for (const std::string& name : names_) {
      if (!HasKey(obj, name))
        return false;
    }
    return true;
  }
  uint64_t seen = 0;
  for (auto field : obj) {
    int i = table_.Find(field.key);
    if (i < 0)
      continue;
    seen |= uint64_t(1) << i;
    if (seen == all_)
      return true;
  }
  return false;
}

void PropertyMap::Seal() {
  std::vector<std::string_view> names;
  names.reserve(properties.size());
  for (const auto& p : properties)
    names.push_back(p.first);
  table = NameTable(names);
}

namespace {

// EvalNode for a child, straight to its FastNode `fast` (node.fast, or nullptr) when it has
// one: the conditions of the fast path hold all the way down once they hold.
inline bool EvalChild(const Node& node, const FastNode* fast, element e, EvalContext& ctx) {
  if (fast == nullptr || ctx.depth >= kMaxEvalDepth)
    return EvalNode(node, e, ctx, nullptr);
  ++ctx.depth;
  bool valid = EvalFast(*fast, e, ctx);
  --ctx.depth;
  return valid;
}

inline bool EvalChild(const Node& node, element e, EvalContext& ctx) {
  return EvalChild(node, node.fast.get(), e, ctx);
}

bool StringHolds(const FastNode& f, std::string_view s) {
  if (f.max_length != UINT64_MAX && !LengthHolds(s, true, f.max_length))
    return false;
  if (f.min_length != 0 && !LengthHolds(s, false, f.min_length))
    return false;
  if (f.format != nullptr && !f.format(s))
    return false;
  return f.pattern == nullptr || f.pattern->Search(s);
}

bool NumberHolds(const FastNode& f, element e) {
  Number n = Number::FromElement(e);
  for (uint8_t i = 0; i < f.bound_count; ++i) {
    if (!BoundHolds(f.bounds[i].first, CompareNumbers(n, f.bounds[i].second)))
      return false;
  }
  return f.multiple_of == nullptr || MultipleHolds(n, *f.multiple_of);
}

bool ObjectHolds(const FastNode& f, object obj, EvalContext& ctx) {
  if (f.min_properties != 0 || f.max_properties != UINT64_MAX) {
    size_t n = obj.size();
    if (n < f.min_properties || n > f.max_properties)
      return false;
  }
  if (f.required != nullptr && !f.required_in_walk && !f.required->AllPresent(obj))
    return false;
  const PropertyMap* map = f.properties;
  if (map == nullptr)
    return true;
  uint64_t seen = 0;
  for (auto field : obj) {
    bool matched = false;
    if (int p = map->table.Find(field.key); p >= 0) {
      matched = true;
      const FastNode::Property& property = f.property_list[size_t(p)];
      seen |= property.required_bit;
      if (!EvalChild(*property.node, property.fast, field.value, ctx))
        return false;
    }
    for (const auto& [re, node] : map->patterns) {
      if (!re.Search(field.key))
        continue;
      matched = true;
      if (!EvalChild(*node, field.value, ctx))
        return false;
    }
    if (!matched && map->additional != nullptr && !EvalChild(*map->additional, field.value, ctx)) {
      return false;
    }
  }
  return !f.required_in_walk || seen == f.required_all;
}

bool ArrayHolds(const FastNode& f, array arr, EvalContext& ctx) {
  if (f.min_items != 0 || f.max_items != UINT64_MAX) {
    size_t n = arr.size();
    if (n < f.min_items || n > f.max_items)
      return false;
  }
  if (f.prefix_items == nullptr && f.rest_items == nullptr)
    return true;
  size_t prefix = f.prefix_items == nullptr ? 0 : f.prefix_items->size();
  size_t i = 0;
  for (element item : arr) {
    const Node* node = i < prefix ? (*f.prefix_items)[i] : f.rest_items;
    if (node == nullptr)
      break;
    if (!EvalChild(*node, item, ctx))
      return false;
    ++i;
  }
  return true;
}

bool ApplicatorHolds(const FastNode::Applicator& a, element e, EvalContext& ctx) {
  switch (a.kind) {
    case FastNode::Apply::kAll:
      for (const Node* node : a.nodes) {
        if (!EvalChild(*node, e, ctx))
          return false;
      }
      return true;
    case FastNode::Apply::kAny:
      for (const Node* node : a.nodes) {
        if (EvalChild(*node, e, ctx))
          return true;
      }
      return false;
    case FastNode::Apply::kOne: {
      int matched = 0;
      for (const Node* node : a.nodes) {
        if (EvalChild(*node, e, ctx) && ++matched > 1)
          return false;
      }
      return matched == 1;
    }
    case FastNode::Apply::kNot:
      return !EvalChild(*a.nodes[0], e, ctx);
    case FastNode::Apply::kIf: {
      const Node* next = EvalChild(*a.nodes[0], e, ctx) ? a.nodes[1] : a.nodes[2];
      return next == nullptr || EvalChild(*next, e, ctx);
    }
  }
  return false;
}

}  // namespace

bool EvalFast(const FastNode& f, element e, EvalContext& ctx) {
  if (f.types != kAnyType && !(InstanceTypeBits(e, f.types) & f.types))
    return false;
  if (f.const_value != nullptr && !f.const_value->Contains(e))
    return false;
  if (f.enum_values != nullptr && !f.enum_values->Contains(e))
    return false;
  switch (e.type()) {
    case element_type::STRING:
      if (f.has_string_checks && !StringHolds(f, std::string_view(e)))
        return false;
      break;
    case element_type::OBJECT:
      if (f.has_object_checks && !ObjectHolds(f, object(e), ctx))
        return false;
      break;
    case element_type::ARRAY:
      if (f.has_array_checks && !ArrayHolds(f, array(e), ctx))
        return false;
      break;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      if ((f.bound_count != 0 || f.multiple_of != nullptr) && !NumberHolds(f, e))
        return false;
      break;
    default:
      break;
  }
  for (const FastNode::Applicator& a : f.applicators) {
    if (!ApplicatorHolds(a, e, ctx))
      return false;
  }
  return true;
}

namespace {

// Fills FastNode::property_list, and folds `required` into the walk when every required name
// is a property (at most 64 of them).
void ResolveProperties(FastNode* f) {
  const PropertyMap& map = *f->properties;
  for (const auto& [name, node] : map.properties)
    f->property_list.push_back({node, node->fast.get(), 0});
  if (f->required == nullptr)
    return;
  std::vector<uint64_t> bits(map.properties.size(), 0);
  uint64_t all = 0;
  int next_bit = 0;
  for (const std::string& name : f->required->names()) {
    int p = map.table.Find(name);
    if (p < 0)
      return;  // a required name that the walk does not see
    if (bits[size_t(p)] == 0) {
      if (next_bit == 64)
        return;
      bits[size_t(p)] = uint64_t(1) << next_bit++;
    }
    all |= bits[size_t(p)];
  }
  for (size_t p = 0; p < bits.size(); ++p)
    f->property_list[p].required_bit = bits[p];
  f->required_in_walk = true;
  f->required_all = all;
}

}  // namespace

void BuildFastNodes(CompiledSchema* schema) {
  for (Node& node : schema->nodes) {
    if (node.boolean >= 0 || node.has_unevaluated)
      continue;
    auto fast = std::make_unique<FastNode>();
    bool fused = true;
    for (const auto& kw : node.keywords)
      fused = fused && kw->Fuse(fast.get());
    if (fused)
      node.fast = std::move(fast);
  }
  // Now that every FastNode exists, point the property walks at their children's.
  for (Node& node : schema->nodes) {
    if (node.fast != nullptr && node.fast->properties != nullptr)
      ResolveProperties(node.fast.get());
  }
}

}  // namespace sluice::schema
