// Keywords on scalars and on any value: type, enum, const, the numeric bounds, multipleOf,
// min/maxLength, pattern, format.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "schema/compiled_schema.h"
#include "schema/fast_node.h"
#include "schema/formats.h"
#include "schema/keywords.h"

namespace sluice::schema {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

uint8_t TypeBitOf(std::string_view name) {
  static constexpr std::pair<std::string_view, TypeBit> kNames[] = {
      {"null", kNull},     {"boolean", kBoolean}, {"object", kObject},  {"array", kArray},
      {"number", kNumber}, {"string", kString},   {"integer", kInteger}};
  for (const auto& [n, bit] : kNames) {
    if (n == name)
      return bit;
  }
  return 0;
}

class TypeKeyword final : public Keyword {
 public:
  TypeKeyword(std::string location, uint8_t mask, std::string names)
      : Keyword("type", std::move(location)), mask_(mask), names_(std::move(names)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (InstanceTypeBits(e, mask_) & mask_)
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " is not of type " + names_; });
  }

  bool Fuse(FastNode* fast) const override {
    fast->types &= mask_;
    return true;
  }

 private:
  uint8_t mask_;
  std::string names_;
};

class EnumKeyword final : public Keyword {
 public:
  EnumKeyword(std::string name, std::string location, const std::vector<const JsonValue*>& values,
              std::string rendered)
      : Keyword(std::move(name), std::move(location)),
        values_(values),
        rendered_(std::move(rendered)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (values_.Contains(e))
      return true;
    return Fail(ctx, [&] {
      return RenderShort(e) + (name() == "const" ? " is not " : " is not one of ") + rendered_;
    });
  }

  bool Fuse(FastNode* fast) const override {
    const EnumSet*& slot = name() == "const" ? fast->const_value : fast->enum_values;
    if (slot != nullptr)
      return false;
    slot = &values_;
    return true;
  }

 private:
  EnumSet values_;
  std::string rendered_;
};

class BoundKeyword final : public Keyword {
 public:
  BoundKeyword(std::string name, std::string location, Bound bound, const JsonValue& limit)
      : Keyword(std::move(name), std::move(location)),
        bound_(bound),
        limit_(limit.number()),
        rendered_(limit.ToJson()) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (!IsNumberElement(e.type()) ||
        BoundHolds(bound_, CompareNumbers(Number::FromElement(e), limit_))) {
      return true;
    }
    const char* what = "";
    switch (bound_) {
      case Bound::kMin:
        what = " is less than the minimum ";
        break;
      case Bound::kMax:
        what = " is greater than the maximum ";
        break;
      case Bound::kExclusiveMin:
        what = " is not greater than the exclusive minimum ";
        break;
      case Bound::kExclusiveMax:
        what = " is not less than the exclusive maximum ";
        break;
    }
    return Fail(ctx, [&] { return RenderShort(e) + what + rendered_; });
  }

  bool Fuse(FastNode* fast) const override {
    if (fast->bound_count == std::size(fast->bounds))
      return false;
    fast->bounds[fast->bound_count++] = {bound_, limit_};
    return true;
  }

 private:
  Bound bound_;
  Number limit_;
  std::string rendered_;
};

class MultipleOfKeyword final : public Keyword {
 public:
  MultipleOfKeyword(std::string location, const JsonValue& divisor)
      : Keyword("multipleOf", std::move(location)),
        divisor_(divisor.number()),
        rendered_(divisor.ToJson()) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (!IsNumberElement(e.type()) || MultipleHolds(Number::FromElement(e), divisor_))
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " is not a multiple of " + rendered_; });
  }

  bool Fuse(FastNode* fast) const override {
    if (fast->multiple_of != nullptr)
      return false;
    fast->multiple_of = &divisor_;
    return true;
  }

 private:
  Number divisor_;
  std::string rendered_;
};

class LengthKeyword final : public Keyword {
 public:
  LengthKeyword(std::string name, std::string location, bool is_max, uint64_t limit)
      : Keyword(std::move(name), std::move(location)), is_max_(is_max), limit_(limit) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::STRING || LengthHolds(std::string_view(e), is_max_, limit_))
      return true;
    return Fail(ctx, [&] {
      return RenderShort(e) + (is_max_ ? " is longer than " : " is shorter than ") +
             std::to_string(limit_) + " characters";
    });
  }

  bool Fuse(FastNode* fast) const override {
    if (is_max_) {
      fast->max_length = std::min(fast->max_length, limit_);
    } else {
      fast->min_length = std::max(fast->min_length, limit_);
    }
    fast->has_string_checks = true;
    return true;
  }

 private:
  bool is_max_;
  uint64_t limit_;
};

class PatternKeyword final : public Keyword {
 public:
  PatternKeyword(std::string location, const RE2* re, std::string source)
      : Keyword("pattern", std::move(location)), matcher_(re, source), source_(std::move(source)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::STRING || matcher_.Search(std::string_view(e)))
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " does not match " + source_; });
  }

  bool Fuse(FastNode* fast) const override {
    if (fast->pattern != nullptr)
      return false;
    fast->pattern = &matcher_;
    fast->has_string_checks = true;
    return true;
  }

 private:
  PatternMatcher matcher_;
  std::string source_;
};

class FormatKeyword final : public Keyword {
 public:
  FormatKeyword(std::string location, FormatChecker checker, std::string format)
      : Keyword("format", std::move(location)), checker_(checker), format_(std::move(format)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::STRING || checker_(std::string_view(e)))
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " is not a valid " + format_; });
  }

  bool Fuse(FastNode* fast) const override {
    if (fast->format != nullptr)
      return false;
    fast->format = checker_;
    fast->has_string_checks = true;
    return true;
  }

 private:
  FormatChecker checker_;
  std::string format_;
};

void AddBound(Node* node, const Frame& frame, const JsonValue& schema, const char* name,
              Bound bound) {
  const JsonValue* v = schema.Find(name);
  if (v == nullptr || !v->is_number())
    return;
  node->keywords.push_back(std::make_unique<BoundKeyword>(name, At(frame, name), bound, *v));
}

}  // namespace

SLUICE_SCHEMA_KEYWORD(CompileType) {
  const JsonValue* v = schema.Find("type");
  uint8_t mask = 0;
  std::string names;
  auto add = [&](const JsonValue& t) {
    if (!t.is_string())
      return;
    uint8_t bit = TypeBitOf(t.str());
    mask |= bit == kNumber ? (kNumber | kInteger) : bit;
    if (!names.empty())
      names.append(" or ");
    names.append(t.str());
  };
  if (v->is_array()) {
    for (const JsonValue& t : v->array())
      add(t);
  } else {
    add(*v);
  }
  node->keywords.push_back(std::make_unique<TypeKeyword>(At(frame, "type"), mask, names));
}

SLUICE_SCHEMA_KEYWORD(CompileEnum) {
  const JsonValue* v = schema.Find("enum");
  if (!v->is_array())
    return;
  std::vector<const JsonValue*> values;
  for (const JsonValue& item : v->array())
    values.push_back(&item);
  std::string rendered = v->ToJson();
  if (rendered.size() > 120)
    rendered = rendered.substr(0, 120) + "...";
  node->keywords.push_back(
      std::make_unique<EnumKeyword>("enum", At(frame, "enum"), std::move(values), rendered));
}

SLUICE_SCHEMA_KEYWORD(CompileConst) {
  const JsonValue* v = schema.Find("const");
  node->keywords.push_back(std::make_unique<EnumKeyword>(
      "const", At(frame, "const"), std::vector<const JsonValue*>{v}, v->ToJson()));
}

SLUICE_SCHEMA_KEYWORD(CompileMinimum) {
  AddBound(node, frame, schema, "minimum", Bound::kMin);
}

SLUICE_SCHEMA_KEYWORD(CompileMaximum) {
  AddBound(node, frame, schema, "maximum", Bound::kMax);
}

SLUICE_SCHEMA_KEYWORD(CompileExclusiveMinimum) {
  AddBound(node, frame, schema, "exclusiveMinimum", Bound::kExclusiveMin);
}

SLUICE_SCHEMA_KEYWORD(CompileExclusiveMaximum) {
  AddBound(node, frame, schema, "exclusiveMaximum", Bound::kExclusiveMax);
}

SLUICE_SCHEMA_KEYWORD(CompileMultipleOf) {
  const JsonValue* v = schema.Find("multipleOf");
  if (!v->is_number() || v->number().AsLongDouble() <= 0)
    return;
  node->keywords.push_back(std::make_unique<MultipleOfKeyword>(At(frame, "multipleOf"), *v));
}

SLUICE_SCHEMA_KEYWORD(CompileMinLength) {
  node->keywords.push_back(std::make_unique<LengthKeyword>(
      "minLength", At(frame, "minLength"), false, NonNegative(schema.Find("minLength"))));
}

SLUICE_SCHEMA_KEYWORD(CompileMaxLength) {
  node->keywords.push_back(std::make_unique<LengthKeyword>(
      "maxLength", At(frame, "maxLength"), true, NonNegative(schema.Find("maxLength"))));
}

SLUICE_SCHEMA_KEYWORD(CompilePattern) {
  const JsonValue* v = schema.Find("pattern");
  if (!v->is_string())
    return;
  std::string location = At(frame, "pattern");
  const RE2* re = compiler.Regex(v->str(), location);
  if (re == nullptr)
    return;
  node->keywords.push_back(std::make_unique<PatternKeyword>(location, re, v->str()));
}

SLUICE_SCHEMA_KEYWORD(CompileFormat) {
  const JsonValue* v = schema.Find("format");
  if (!v->is_string())
    return;
  FormatMode mode = compiler.options().format;
  bool assert_vocab = (frame.vocab & kVocabFormatAssertion) != 0;
  if (mode == FormatMode::kIgnore || (mode == FormatMode::kAnnotate && !assert_vocab))
    return;
  FormatChecker checker = FindFormatChecker(v->str());
  if (checker == nullptr)
    return;
  node->keywords.push_back(std::make_unique<FormatKeyword>(At(frame, "format"), checker, v->str()));
}

}  // namespace sluice::schema
