// Keywords on scalars and on any value: type, enum, const, the numeric bounds, multipleOf,
// min/maxLength, pattern, format.
#include <string>
#include <vector>

#include "schema/formats.h"
#include "schema/keywords.h"
#include "schema/simple_regex.h"

namespace sluice::schema {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

enum TypeBit : uint8_t {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kNumber = 16,
  kString = 32,
  kInteger = 64,
};

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
    uint8_t bit;
    switch (e.type()) {
      case element_type::NULL_VALUE:
        bit = kNull;
        break;
      case element_type::BOOL:
        bit = kBoolean;
        break;
      case element_type::OBJECT:
        bit = kObject;
        break;
      case element_type::ARRAY:
        bit = kArray;
        break;
      case element_type::STRING:
        bit = kString;
        break;
      case element_type::DOUBLE:
        bit = Number::FromElement(e).IsInteger() ? (kNumber | kInteger) : kNumber;
        break;
      default:
        bit = kNumber | kInteger;
        break;
    }
    if (bit & mask_)
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " is not of type " + names_; });
  }

 private:
  uint8_t mask_;
  std::string names_;
};

class EnumKeyword final : public Keyword {
 public:
  EnumKeyword(std::string name, std::string location, std::vector<const JsonValue*> values,
              std::string rendered)
      : Keyword(std::move(name), std::move(location)),
        values_(std::move(values)),
        rendered_(std::move(rendered)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    for (const JsonValue* v : values_) {
      if (JsonEqual(*v, e))
        return true;
    }
    return Fail(ctx, [&] {
      return RenderShort(e) + (name() == "const" ? " is not " : " is not one of ") + rendered_;
    });
  }

 private:
  std::vector<const JsonValue*> values_;
  std::string rendered_;
};

enum class Bound { kMin, kMax, kExclusiveMin, kExclusiveMax };

class BoundKeyword final : public Keyword {
 public:
  BoundKeyword(std::string name, std::string location, Bound bound, const JsonValue& limit)
      : Keyword(std::move(name), std::move(location)),
        bound_(bound),
        limit_(limit.number()),
        rendered_(limit.ToJson()) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    element_type t = e.type();
    if (t != element_type::INT64 && t != element_type::UINT64 && t != element_type::DOUBLE) {
      return true;
    }
    int c = CompareNumbers(Number::FromElement(e), limit_);
    bool ok = false;
    const char* what = "";
    switch (bound_) {
      case Bound::kMin:
        ok = c >= 0;
        what = " is less than the minimum ";
        break;
      case Bound::kMax:
        ok = c <= 0;
        what = " is greater than the maximum ";
        break;
      case Bound::kExclusiveMin:
        ok = c > 0;
        what = " is not greater than the exclusive minimum ";
        break;
      case Bound::kExclusiveMax:
        ok = c < 0;
        what = " is not less than the exclusive maximum ";
        break;
    }
    if (ok)
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + what + rendered_; });
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
    element_type t = e.type();
    if (t != element_type::INT64 && t != element_type::UINT64 && t != element_type::DOUBLE) {
      return true;
    }
    Number n = Number::FromElement(e);
    bool ok = n.kind == Number::Kind::kInt && divisor_.kind == Number::Kind::kInt
                  ? n.i % divisor_.i == 0
                  : IsMultipleOf(n, divisor_);
    if (ok)
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " is not a multiple of " + rendered_; });
  }

 private:
  Number divisor_;
  std::string rendered_;
};

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

class LengthKeyword final : public Keyword {
 public:
  LengthKeyword(std::string name, std::string location, bool is_max, uint64_t limit)
      : Keyword(std::move(name), std::move(location)), is_max_(is_max), limit_(limit) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::STRING)
      return true;
    std::string_view s(e);
    // Byte length bounds code points from above, and from below by a factor of 4.
    if (is_max_ ? s.size() <= limit_ : s.size() >= 4 * limit_)
      return true;
    size_t n = CodePoints(s);
    if (is_max_ ? n <= limit_ : n >= limit_)
      return true;
    return Fail(ctx, [&] {
      return RenderShort(e) + (is_max_ ? " is longer than " : " is shorter than ") +
             std::to_string(limit_) + " characters";
    });
  }

 private:
  bool is_max_;
  uint64_t limit_;
};

class PatternKeyword final : public Keyword {
 public:
  PatternKeyword(std::string location, const RE2* re, std::string source)
      : Keyword("pattern", std::move(location)),
        re_(re),
        simple_(SimpleRegex::TryCompile(source)),
        source_(std::move(source)) {}

  bool Eval(element e, EvalContext& ctx, Annotations*) const override {
    if (e.type() != element_type::STRING)
      return true;
    std::string_view s(e);
    SimpleRegex::Outcome fast = simple_ ? simple_->Search(s) : SimpleRegex::Outcome::kGaveUp;
    if (fast == SimpleRegex::Outcome::kMatch)
      return true;
    if (fast == SimpleRegex::Outcome::kGaveUp && RE2::PartialMatch(s, *re_))
      return true;
    return Fail(ctx, [&] { return RenderShort(e) + " does not match " + source_; });
  }

 private:
  const RE2* re_;
  std::unique_ptr<SimpleRegex> simple_;  // nullptr: RE2 only
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
