// The validator's API and messages: error locations and texts, first vs all errors, schema
// errors that name where, and the pieces (formats, ECMA regex, exact numbers, URIs).
#include "schema/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "schema/ecma_regex.h"
#include "schema/formats.h"
#include "schema/json_value.h"
#include "schema/uri.h"
#include "testing/status_matchers.h"

namespace sluice::schema {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

std::shared_ptr<const Schema> MustCompile(std::string_view text, CompileOptions options = {}) {
  Result<std::shared_ptr<const Schema>> s = Schema::Compile(text, options);
  EXPECT_THAT(s, IsOk());
  return s.ok() ? *s : nullptr;
}

TEST(SchemaTest, PatternErrorCarriesLocationsAndPlainMessage) {
  auto schema = MustCompile(R"({"properties": {"span_id": {"pattern": "^[0-9a-fA-F]{16}$"}}})");
  LineValidator v(*schema);
  std::vector<ValidationError> errors;
  Result<bool> r = v.Validate(R"({"span_id": "not-a-span"})", ErrorMode::kFirst, &errors);
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(*r);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_location, "/span_id");
  EXPECT_EQ(errors[0].schema_location, "/properties/span_id/pattern");
  EXPECT_EQ(errors[0].keyword, "pattern");
  EXPECT_EQ(errors[0].message, "`span_id`: \"not-a-span\" does not match ^[0-9a-fA-F]{16}$");
}

TEST(SchemaTest, FirstStopsAllCollects) {
  auto schema = MustCompile(R"({"required": ["a", "b"], "properties": {"c": {"type": "string"}}})");
  LineValidator v(*schema);
  std::vector<ValidationError> first, all;
  EXPECT_FALSE(*v.Validate(R"({"c": 1})", ErrorMode::kFirst, &first));
  EXPECT_FALSE(*v.Validate(R"({"c": 1})", ErrorMode::kAll, &all));
  EXPECT_EQ(first.size(), 1u);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].instance_location, "/c");
  EXPECT_EQ(all[2].message, "`c`: 1 is not of type string");
  std::vector<ValidationError> capped;
  EXPECT_FALSE(*v.Validate(R"({"c": 1})", ErrorMode::kAll, &capped, 2));
  EXPECT_EQ(capped.size(), 2u);
  EXPECT_TRUE(*v.Validate(R"({"a": 1, "b": 2, "c": "x"})"));
}

TEST(SchemaTest, PointerEscapesInLocations) {
  auto schema = MustCompile(R"({"properties": {"a/b~c": {"type": "integer"}}})");
  LineValidator v(*schema);
  std::vector<ValidationError> errors;
  EXPECT_FALSE(*v.Validate(R"({"a/b~c": "x"})", ErrorMode::kFirst, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_location, "/a~1b~0c");
  EXPECT_EQ(errors[0].schema_location, "/properties/a~1b~0c/type");
}

TEST(SchemaTest, SchemaErrorsNameWhere) {
  EXPECT_THAT(Schema::Compile("{"), StatusIs(StatusCode::kInvalidArgument, "not valid JSON"));
  EXPECT_THAT(Schema::Compile(R"({"items": {"maxItems": "3"}})"),
              StatusIs(StatusCode::kInvalidArgument, "at /items/maxItems"));
  EXPECT_THAT(Schema::Compile(R"j({"properties": {"x": {"pattern": "a(?<=b)"}}})j"),
              StatusIs(StatusCode::kInvalidArgument, "pattern a(?<=b) is not supported"));
  EXPECT_THAT(Schema::Compile(R"({"$ref": "http://nowhere.invalid/x.json"})"),
              StatusIs(StatusCode::kInvalidArgument, "cannot resolve $ref"));
  EXPECT_THAT(Schema::Compile(R"({"$schema": "http://example.invalid/custom"})"),
              StatusIs(StatusCode::kInvalidArgument, "unsupported $schema"));
}

TEST(SchemaTest, DraftFromSchemaKeyword) {
  EXPECT_EQ(MustCompile("{}")->draft(), Draft::k202012);
  auto d7 = MustCompile(R"({"$schema": "http://json-schema.org/draft-07/schema#",
                            "items": [{"type": "integer"}], "additionalItems": false})");
  EXPECT_EQ(d7->draft(), Draft::k07);
  LineValidator v(*d7);
  EXPECT_TRUE(*v.Validate("[1]"));
  EXPECT_FALSE(*v.Validate("[1, 2]"));
}

TEST(SchemaTest, FormatIsAnnotationUnlessAsserted) {
  const char* text = R"({"format": "ipv4"})";
  auto annotated = MustCompile(text);
  LineValidator annotate(*annotated);
  EXPECT_TRUE(*annotate.Validate(R"("999.1.1.1")"));
  CompileOptions options;
  options.format = FormatMode::kAssert;
  auto asserted = MustCompile(text, options);
  LineValidator assert_v(*asserted);
  EXPECT_FALSE(*assert_v.Validate(R"("999.1.1.1")"));
  EXPECT_TRUE(*assert_v.Validate(R"("10.1.1.1")"));
}

TEST(SchemaTest, UnevaluatedPropertiesSeesThroughRefAndAllOf) {
  auto schema = MustCompile(R"({
    "$defs": {"base": {"properties": {"a": true}}},
    "allOf": [{"$ref": "#/$defs/base"}], "properties": {"b": true},
    "unevaluatedProperties": false})");
  LineValidator v(*schema);
  EXPECT_TRUE(*v.Validate(R"({"a": 1, "b": 2})"));
  std::vector<ValidationError> errors;
  EXPECT_FALSE(*v.Validate(R"({"a": 1, "c": 2})", ErrorMode::kAll, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_location, "/c");
  EXPECT_EQ(errors[0].keyword, "unevaluatedProperties");
}

TEST(SchemaTest, NotJsonIsAnError) {
  auto schema = MustCompile("true");
  LineValidator v(*schema);
  EXPECT_THAT(v.Validate("{\"a\":"), StatusIs(StatusCode::kInvalidArgument, ""));
  EXPECT_THAT(v.Validate("\"\xff\""), StatusIs(StatusCode::kInvalidArgument, "UTF-8"));
}

TEST(SchemaTest, MultipleOfIsExact) {
  auto n = [](double d) {
    Number x;
    x.kind = Number::Kind::kDouble;
    x.d = d;
    return x;
  };
  auto i = [](int64_t v) {
    Number x;
    x.i = v;
    return x;
  };
  EXPECT_TRUE(IsMultipleOf(n(0.0075), n(0.0001)));
  EXPECT_TRUE(IsMultipleOf(n(19.99), n(0.01)));
  EXPECT_FALSE(IsMultipleOf(n(0.00751), n(0.0001)));
  EXPECT_FALSE(IsMultipleOf(n(1e308), n(0.123456789)));
  EXPECT_TRUE(IsMultipleOf(n(1e308), n(1e300)));
  EXPECT_TRUE(IsMultipleOf(i(9007199254740993), i(3)));
  EXPECT_FALSE(IsMultipleOf(i(9007199254740993), i(2)));
}

TEST(SchemaTest, UniqueItemsUsesJsonEquality) {
  auto schema = MustCompile(R"({"uniqueItems": true})");
  LineValidator v(*schema);
  EXPECT_FALSE(*v.Validate("[1, 1.0]"));
  EXPECT_FALSE(*v.Validate(R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])"));
  EXPECT_TRUE(*v.Validate(R"([[1], [true], 1, true, "1"])"));
}

TEST(EcmaRegexTest, TranslatesWhereDialectsDiffer) {
  auto matches = [](std::string_view pattern, std::string_view text) {
    auto re = CompileEcmaRegex(pattern);
    EXPECT_THAT(re, IsOk());
    return re.ok() && RE2::PartialMatch(text, **re);
  };
  EXPECT_FALSE(matches("^\\d$", "\xdf\xa0"));  // NKO DIGIT ZERO is not \d in ECMA
  EXPECT_FALSE(matches("^\\w$", "\xc3\xa9"));  // nor is é a \w
  EXPECT_TRUE(matches("^\\s$", "\xc2\xa0"));   // but NBSP is \s
  EXPECT_TRUE(matches("^\\p{Letter}+$", "\xc3\xa9t\xc3\xa9"));
  EXPECT_TRUE(matches("^\\p{Script=Greek}$", "\xce\xb1"));
  EXPECT_TRUE(matches("^\\u00e9$", "\xc3\xa9"));
  EXPECT_TRUE(matches("^(?<year>\\d{4})$", "2024"));
  EXPECT_FALSE(matches("^.$", "\n"));
  EXPECT_TRUE(matches("a", "xxaxx"));  // unanchored search
  EXPECT_THAT(CompileEcmaRegex("(a)\\1"), StatusIs(StatusCode::kInvalidArgument, "(a)\\1"));
}

TEST(FormatsTest, Checkers) {
  EXPECT_TRUE(IsDateTime("2026-01-01T00:00:00.123Z"));
  EXPECT_TRUE(IsDateTime("1998-12-31T23:59:60Z"));
  EXPECT_FALSE(IsDateTime("1998-12-31T22:59:60Z"));
  EXPECT_FALSE(IsDateTime("2026-02-29T00:00:00Z"));
  EXPECT_TRUE(IsDate("2024-02-29"));
  EXPECT_TRUE(IsDuration("P1Y2M3DT4H5M6S"));
  EXPECT_FALSE(IsDuration("PT"));
  EXPECT_FALSE(IsDuration("P1W1D"));
  EXPECT_TRUE(IsUuid("2eb8aa08-aa98-11ea-b4aa-73b441d16380"));
  EXPECT_FALSE(IsIpv4("01.1.1.1"));
  EXPECT_TRUE(IsIpv6("::ffff:10.0.0.1"));
  EXPECT_FALSE(IsIpv6("1::2::3"));
  EXPECT_TRUE(IsHostname("api.example.com"));
  EXPECT_FALSE(IsHostname("-bad.example.com"));
  EXPECT_TRUE(IsEmail("joe.bloggs@example.com"));
  EXPECT_FALSE(IsEmail("joe..bloggs@example.com"));
  EXPECT_TRUE(IsUri("https://example.com/a?b#c"));
  EXPECT_FALSE(IsUri("/relative"));
  EXPECT_TRUE(IsUriReference("/relative"));
  EXPECT_TRUE(IsJsonPointer("/a~1b"));
  EXPECT_FALSE(IsJsonPointer("/a~2"));
  EXPECT_FALSE(IsRegex("(?<=x)"));
  EXPECT_EQ(FindFormatChecker("color"), nullptr);
}

TEST(UriTest, ResolvesReferences) {
  EXPECT_EQ(ResolveUri("http://a/b/c/d", "../e"), "http://a/b/e");
  EXPECT_EQ(ResolveUri("http://a/b/c", "#frag"), "http://a/b/c#frag");
  EXPECT_EQ(ResolveUri("http://a/b/c", "http://x/y"), "http://x/y");
  EXPECT_EQ(ResolveUri("urn:uuid:deadbeef", "#/a"), "urn:uuid:deadbeef#/a");
  EXPECT_EQ(ResolveUri("", "#/a"), "#/a");
  std::vector<std::string> tokens;
  EXPECT_TRUE(ParseJsonPointer("/a~1b/~0", &tokens));
  EXPECT_EQ(tokens, (std::vector<std::string>{"a/b", "~"}));
  EXPECT_FALSE(ParseJsonPointer("a", &tokens));
}

}  // namespace
}  // namespace sluice::schema
