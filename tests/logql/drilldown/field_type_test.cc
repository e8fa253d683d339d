#include "logql/drilldown/field_type.h"

#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

struct Case {
  const char* value;
  FieldType want;
};

TEST(FieldTypeTest, FirstGoParserThatAcceptsWins) {
  const Case cases[] = {
      {"200", FieldType::kInt},
      {"-17", FieldType::kInt},
      {"+5", FieldType::kInt},
      {"0", FieldType::kInt},  // ParseInt before ParseBool
      {"1", FieldType::kInt},
      {"9223372036854775808", FieldType::kFloat},  // overflows int64, still a float
      {"3.14", FieldType::kFloat},
      {"1e3", FieldType::kFloat},
      {"NaN", FieldType::kFloat},
      {"true", FieldType::kBoolean},
      {"False", FieldType::kBoolean},
      {"T", FieldType::kBoolean},
      {"1.5s", FieldType::kDuration},
      {"300ms", FieldType::kDuration},
      {"1h2m3s", FieldType::kDuration},
      {"10MB", FieldType::kBytes},
      {"5 KiB", FieldType::kBytes},
      {"GET", FieldType::kString},
      {"", FieldType::kString},
      {"+-5", FieldType::kString},
      {"yes", FieldType::kString},
      {"/api/v1", FieldType::kString},
  };
  for (const Case& c : cases)
    EXPECT_EQ(DetectFieldType(c.value), c.want) << c.value;
}

TEST(FieldTypeTest, Names) {
  EXPECT_EQ(FieldTypeName(FieldType::kString), "string");
  EXPECT_EQ(FieldTypeName(FieldType::kInt), "int");
  EXPECT_EQ(FieldTypeName(FieldType::kFloat), "float");
  EXPECT_EQ(FieldTypeName(FieldType::kBoolean), "boolean");
  EXPECT_EQ(FieldTypeName(FieldType::kDuration), "duration");
  EXPECT_EQ(FieldTypeName(FieldType::kBytes), "bytes");
}

}  // namespace
}  // namespace sluice::logql::drilldown
