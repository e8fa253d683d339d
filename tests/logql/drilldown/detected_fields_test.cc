#include "logql/drilldown/detected_fields.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const DetectedField* FindField(const std::vector<DetectedField>& fs, std::string_view name) {
  for (const auto& f : fs) {
    if (f.label == name)
      return &f;
  }
  return nullptr;
}

TEST(FieldDetectorTest, LogfmtFieldsTypesAndCardinality) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  FieldDetector d;
  d.Add(stream, "level=info status=200 duration=15ms path=/a", {}, {});
  d.Add(stream, "level=warn status=404 duration=1.5s path=/b", {}, {});
  d.Add(stream, "level=info status=200 duration=3ms path=/a", {}, {});
  auto fields = d.Fields();
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].label, "duration");  // sorted by name
  EXPECT_EQ(fields[0].type, FieldType::kDuration);
  EXPECT_EQ(fields[0].cardinality, 3u);
  EXPECT_THAT(fields[0].parsers, ElementsAre("logfmt"));
  const DetectedField* status = FindField(fields, "status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->type, FieldType::kInt);
  EXPECT_EQ(status->cardinality, 2u);
  const DetectedField* level = FindField(fields, "level");
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(level->type, FieldType::kString);
  EXPECT_EQ(level->cardinality, 2u);
}

TEST(FieldDetectorTest, JsonFieldsAreFlattenedWithPaths) {
  Labels stream = Labels::FromPairs({{"app", "api"}, {"user", "x"}});
  FieldDetector d;
  d.Add(stream,
        R"({"user":{"id":7,"admin":true},"msg":"hi","tags":["a"],"n":null,"user-agent":"c"})", {},
        {});
  auto fields = d.Fields();
  std::vector<std::string> names;
  for (const auto& f : fields)
    names.push_back(f.label);
  EXPECT_THAT(names, ElementsAre("msg", "user_admin", "user_agent", "user_id"));
  const DetectedField* id = FindField(fields, "user_id");
  EXPECT_EQ(id->type, FieldType::kInt);
  EXPECT_THAT(id->parsers, ElementsAre("json"));
  EXPECT_THAT(id->json_path, ElementsAre("user", "id"));
  EXPECT_EQ(FindField(fields, "user_admin")->type, FieldType::kBoolean);
  EXPECT_THAT(FindField(fields, "user_agent")->json_path, ElementsAre("user-agent"));
}

TEST(FieldDetectorTest, ClashWithStreamLabelGetsExtractedSuffix) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  FieldDetector d;
  d.Add(stream, R"({"app":"other","k":"v"})", {}, {});
  d.Add(stream, "app=third", {}, {});
  auto fields = d.Fields();
  const DetectedField* f = FindField(fields, "app_extracted");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->parsers, ElementsAre("json", "logfmt"));
  EXPECT_EQ(f->cardinality, 2u);
  EXPECT_THAT(f->json_path, ElementsAre("app"));
  EXPECT_EQ(FindField(fields, "app"), nullptr);
}

TEST(FieldDetectorTest, StructuredMetadataHasNoParser) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  std::vector<Label> md = {{"detected_level", "info"}, {"trace_id", "abc"}};
  FieldDetector d;
  d.Add(stream, "plain text line without pairs", md, {});
  auto fields = d.Fields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].label, "detected_level");
  EXPECT_THAT(fields[0].parsers, IsEmpty());
  EXPECT_EQ(fields[1].label, "trace_id");
}

TEST(FieldDetectorTest, QueryParsedLabelsCountAndErrorsAreIgnored) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  std::vector<Label> parsed = {{"__error__", "JSONParserErr"}, {"custom", "1"}};
  FieldDetector d;
  d.Add(stream, "a=\"unterminated", {}, parsed);
  auto fields = d.Fields();
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].label, "custom");
  // Non-strict logfmt never fails (as Loki's), so the line counts as logfmt.
  EXPECT_THAT(fields[0].parsers, ElementsAre("logfmt"));
  EXPECT_EQ(fields[0].type, FieldType::kInt);
}

TEST(FieldDetectorTest, FieldLimitCapsNewFields) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  FieldDetector d(/*field_limit=*/2);
  d.Add(stream, "a=1 b=2 c=3", {}, {});
  d.Add(stream, "a=5 d=4", {}, {});
  auto fields = d.Fields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].label, "a");
  EXPECT_EQ(fields[0].cardinality, 2u);
  EXPECT_EQ(fields[1].label, "b");
}

TEST(FieldValuesCollectorTest, DistinctSortedAndBytesNormalised) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  FieldValuesCollector v("size", 10);
  v.Add(stream, "size=10MB", {}, {});
  v.Add(stream, "size=10000000b", {}, {});
  v.Add(stream, "size=42", {}, {});
  std::vector<Label> md = {{"size", "7 kB"}};
  v.Add(stream, "other=1", md, {});
  EXPECT_THAT(v.Values(), ElementsAre("10MB", "42", "7 kB"));
}

TEST(FieldValuesCollectorTest, StopsAtLimit) {
  Labels stream = Labels::FromPairs({{"app", "api"}});
  FieldValuesCollector v("status", 2);
  for (int s : {200, 404, 500, 200})
    v.Add(stream, "status=" + std::to_string(s), {}, {});
  EXPECT_TRUE(v.full());
  EXPECT_THAT(v.Values(), ElementsAre("200", "404"));
}

}  // namespace
}  // namespace sluice::logql::drilldown
