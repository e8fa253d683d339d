// Keywords on objects: required, min/maxProperties, dependentRequired, dependentSchemas,
// dependencies (draft-07), properties + patternProperties + additionalProperties (one pass),
// propertyNames, unevaluatedProperties.
#include <algorithm>
#include <string>
#include <vector>

#include "schema/fast_node.h"
#include "schema/keywords.h"

namespace sluice::schema {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

namespace {

class RequiredKeyword final : public Keyword {
 public:
  RequiredKeyword(std::string location, std::vector<std::string> names)
      : Keyword("required", std::move(location)), names_(std::move(names)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::OBJECT)
      return true;
    object obj(e);
    if (names_.AllPresent(obj))
      return true;
    bool valid = true;
    for (const std::string& name : names_.names()) {
      if (HasKey(obj, name))
        continue;
      valid = Fail(ctx, [&] { return "missing required property \"" + name + "\""; });
      if (!ctx.exhaustive())
        return false;
    }
    return valid;
  }

  bool Fuse(FastNode* fast) const override {
    if (fast->required != nullptr)
      return false;
    fast->required = &names_;
    fast->has_object_checks = true;
    return true;
  }

 private:
  RequiredSet names_;
};

class PropertyCountKeyword final : public Keyword {
 public:
  PropertyCountKeyword(std::string name, std::string location, bool is_max, uint64_t limit)
      : Keyword(std::move(name), std::move(location)), is_max_(is_max), limit_(limit) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::OBJECT)
      return true;
    size_t n = object(e).size();
    if (is_max_ ? n <= limit_ : n >= limit_)
      return true;
    return Fail(ctx, [&] {
      return "has " + std::to_string(n) + " properties, " + (is_max_ ? "more" : "fewer") +
             " than " + std::to_string(limit_);
    });
  }

  bool Fuse(FastNode* fast) const override {
    if (is_max_) {
      fast->max_properties = std::min(fast->max_properties, limit_);
    } else {
      fast->min_properties = std::max(fast->min_properties, limit_);
    }
    fast->has_object_checks = true;
    return true;
  }

 private:
  bool is_max_;
  uint64_t limit_;
};

class DependentRequiredKeyword final : public Keyword {
 public:
  using Map = std::vector<std::pair<std::string, std::vector<std::string>>>;

  DependentRequiredKeyword(std::string name, std::string location, Map deps)
      : Keyword(std::move(name), std::move(location)), deps_(std::move(deps)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::OBJECT)
      return true;
    object obj(e);
    bool valid = true;
    for (const auto& dep : deps_) {
      const std::string& trigger = dep.first;  // not a structured binding: the lambda takes it
      if (!HasKey(obj, trigger))
        continue;
      for (const std::string& name : dep.second) {
        if (HasKey(obj, name))
          continue;
        valid = Fail(ctx, [&] {
          return "property \"" + name + "\" is required when \"" + trigger + "\" is present";
        });
        if (!ctx.exhaustive())
          return false;
      }
    }
    return valid;
  }

 private:
  Map deps_;
};

class DependentSchemasKeyword final : public Keyword {
 public:
  using Map = std::vector<std::pair<std::string, const Node*>>;

  DependentSchemasKeyword(std::string name, std::string location, Map deps)
      : Keyword(std::move(name), std::move(location)), deps_(std::move(deps)) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    if (e.type() != element_type::OBJECT)
      return true;
    object obj(e);
    bool valid = true;
    for (const auto& [trigger, node] : deps_) {
      if (!HasKey(obj, trigger) || EvalNode(*node, e, ctx, ann))
        continue;
      valid = false;
      if (!ctx.exhaustive())
        return false;
    }
    return valid;
  }

 private:
  Map deps_;
};

class PropertiesKeyword final : public Keyword {
 public:
  PropertiesKeyword(std::string location, std::string additional_location)
      : Keyword("properties", std::move(location)),
        additional_location_(std::move(additional_location)) {}

  PropertyMap map;  // REQUIRES: sealed once filled

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    if (e.type() != element_type::OBJECT)
      return true;
    bool valid = true;
    size_t index = 0;
    for (auto field : object(e)) {
      size_t i = index++;
      bool matched = false, ok = true;
      PathScope path(ctx, field.key);
      if (int p = map.table.Find(field.key); p >= 0) {
        matched = true;
        ok = EvalNode(*map.properties[size_t(p)].second, field.value, ctx, nullptr);
      }
      for (const auto& [re, node] : map.patterns) {
        if (!(ok || ctx.exhaustive()))
          break;
        if (!re.Search(field.key))
          continue;
        matched = true;
        ok = EvalNode(*node, field.value, ctx, nullptr) && ok;
      }
      if (!matched && map.additional != nullptr) {
        if (map.additional->boolean == 0) {
          ok = false;
          if (ctx.reporting()) {
            ctx.Report("additionalProperties", additional_location_,
                       "property is not allowed (additionalProperties: false)");
          }
        } else {
          ok = EvalNode(*map.additional, field.value, ctx, nullptr);
        }
        matched = true;
      }
      if (!ok) {
        valid = false;
        if (!ctx.exhaustive())
          return false;
      } else if (matched && ann != nullptr) {
        ann->MarkProp(i);
      }
    }
    return valid;
  }

  bool Fuse(FastNode* fast) const override {
    if (fast->properties != nullptr)
      return false;
    fast->properties = &map;
    fast->has_object_checks = true;
    return true;
  }

 private:
  std::string additional_location_;
};

class PropertyNamesKeyword final : public Keyword {
 public:
  PropertyNamesKeyword(std::string location, const Node* node)
      : Keyword("propertyNames", std::move(location)), node_(node) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::OBJECT)
      return true;
    // The names are not DOM values: each is parsed as a JSON string of its own. A string has
    // no members, so this never nests and one parser per thread suffices.
    thread_local simdjson::dom::parser parser;
    bool valid = true;
    for (auto field : object(e)) {
      std::string quoted = "\"";
      for (char c : field.key) {
        if (c == '"' || c == '\\')
          quoted.push_back('\\');
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          quoted.append(buf);
          continue;
        }
        quoted.push_back(c);
      }
      quoted.push_back('"');
      element name;
      if (parser.parse(quoted).get(name))
        continue;
      PathScope path(ctx, field.key);
      if (EvalNode(*node_, name, ctx, nullptr))
        continue;
      valid = false;
      if (!ctx.exhaustive())
        return false;
    }
    return valid;
  }

 private:
  const Node* node_;
};

class UnevaluatedPropertiesKeyword final : public Keyword {
 public:
  UnevaluatedPropertiesKeyword(std::string location, const Node* node)
      : Keyword("unevaluatedProperties", std::move(location)), node_(node) {}

  bool Eval(element e, EvalContext& ctx, Annotations* ann) const override {
    if (e.type() != element_type::OBJECT || ann == nullptr || ann->all_props)
      return true;
    bool valid = true;
    size_t index = 0;
    for (auto field : object(e)) {
      if (ann->PropEvaluated(index++))
        continue;
      PathScope path(ctx, field.key);
      bool ok =
          node_->boolean == 0
              ? Fail(ctx,
                     [] {
                       return std::string("property is not allowed (unevaluatedProperties: false)");
                     })
              : EvalNode(*node_, field.value, ctx, nullptr);
      if (!ok) {
        valid = false;
        if (!ctx.exhaustive())
          return false;
      }
    }
    if (valid)
      ann->all_props = true;
    return valid;
  }

 private:
  const Node* node_;
};

std::vector<std::string> Strings(const JsonValue& v) {
  std::vector<std::string> out;
  if (!v.is_array())
    return out;
  for (const JsonValue& s : v.array()) {
    if (s.is_string())
      out.push_back(s.str());
  }
  return out;
}

}  // namespace

SLUICE_SCHEMA_KEYWORD(CompileRequired) {
  std::vector<std::string> names = Strings(*schema.Find("required"));
  if (names.empty())
    return;
  node->keywords.push_back(std::make_unique<RequiredKeyword>(At(frame, "required"), names));
}

SLUICE_SCHEMA_KEYWORD(CompileMinProperties) {
  node->keywords.push_back(
      std::make_unique<PropertyCountKeyword>("minProperties", At(frame, "minProperties"), false,
                                             NonNegative(schema.Find("minProperties"))));
}

SLUICE_SCHEMA_KEYWORD(CompileMaxProperties) {
  node->keywords.push_back(
      std::make_unique<PropertyCountKeyword>("maxProperties", At(frame, "maxProperties"), true,
                                             NonNegative(schema.Find("maxProperties"))));
}

SLUICE_SCHEMA_KEYWORD(CompileDependentRequired) {
  const JsonValue* v = schema.Find("dependentRequired");
  if (!v->is_object())
    return;
  DependentRequiredKeyword::Map deps;
  for (const auto& [name, list] : v->object())
    deps.emplace_back(name, Strings(list));
  node->keywords.push_back(std::make_unique<DependentRequiredKeyword>(
      "dependentRequired", At(frame, "dependentRequired"), std::move(deps)));
}

SLUICE_SCHEMA_KEYWORD(CompileDependentSchemas) {
  const JsonValue* v = schema.Find("dependentSchemas");
  if (!v->is_object())
    return;
  DependentSchemasKeyword::Map deps;
  for (const auto& [name, sub] : v->object()) {
    deps.emplace_back(name, compiler.Sub(sub, frame, "dependentSchemas", name));
  }
  node->keywords.push_back(std::make_unique<DependentSchemasKeyword>(
      "dependentSchemas", At(frame, "dependentSchemas"), std::move(deps)));
}

SLUICE_SCHEMA_KEYWORD(CompileDependencies) {
  const JsonValue* v = schema.Find("dependencies");
  if (!v->is_object())
    return;
  DependentRequiredKeyword::Map required;
  DependentSchemasKeyword::Map schemas;
  for (const auto& [name, dep] : v->object()) {
    if (dep.is_array()) {
      required.emplace_back(name, Strings(dep));
    } else {
      schemas.emplace_back(name, compiler.Sub(dep, frame, "dependencies", name));
    }
  }
  std::string location = At(frame, "dependencies");
  if (!required.empty()) {
    node->keywords.push_back(
        std::make_unique<DependentRequiredKeyword>("dependencies", location, std::move(required)));
  }
  if (!schemas.empty()) {
    node->keywords.push_back(
        std::make_unique<DependentSchemasKeyword>("dependencies", location, std::move(schemas)));
  }
}

SLUICE_SCHEMA_KEYWORD(CompileObjectApplicators) {
  auto kw = std::make_unique<PropertiesKeyword>(At(frame, "properties"),
                                                At(frame, "additionalProperties"));
  if (const JsonValue* v = schema.Find("properties"); v && v->is_object()) {
    for (const auto& [name, sub] : v->object()) {
      kw->map.properties.emplace_back(name, compiler.Sub(sub, frame, "properties", name));
    }
  }
  if (const JsonValue* v = schema.Find("patternProperties"); v && v->is_object()) {
    for (const auto& [pattern, sub] : v->object()) {
      const RE2* re = compiler.Regex(pattern, At(frame, "patternProperties"));
      if (re == nullptr)
        return;
      kw->map.patterns.emplace_back(PatternMatcher(re, pattern),
                                    compiler.Sub(sub, frame, "patternProperties", pattern));
    }
  }
  if (const JsonValue* v = schema.Find("additionalProperties")) {
    kw->map.additional = compiler.Sub(*v, frame, "additionalProperties");
  }
  kw->map.Seal();
  node->keywords.push_back(std::move(kw));
}

SLUICE_SCHEMA_KEYWORD(CompilePropertyNames) {
  const Node* sub = compiler.Sub(*schema.Find("propertyNames"), frame, "propertyNames");
  node->keywords.push_back(std::make_unique<PropertyNamesKeyword>(At(frame, "propertyNames"), sub));
}

SLUICE_SCHEMA_KEYWORD(CompileUnevaluatedProperties) {
  const Node* sub =
      compiler.Sub(*schema.Find("unevaluatedProperties"), frame, "unevaluatedProperties");
  node->keywords.push_back(
      std::make_unique<UnevaluatedPropertiesKeyword>(At(frame, "unevaluatedProperties"), sub));
}

}  // namespace sluice::schema
