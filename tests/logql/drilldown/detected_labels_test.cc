#include "logql/drilldown/detected_labels.h"

#include <string>

#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

std::set<std::string, std::less<>> Set(std::initializer_list<const char*> v) {
  return {v.begin(), v.end()};
}

TEST(DetectedLabelsTest, RejectRules) {
  EXPECT_TRUE(ShouldRejectLabel(Set({})));
  EXPECT_FALSE(ShouldRejectLabel(Set({"0", "1"})));  // boolean
  EXPECT_TRUE(ShouldRejectLabel(Set({"7", "1"})));
  EXPECT_TRUE(ShouldRejectLabel(Set({"12", "13", "14.5"})));
  EXPECT_TRUE(ShouldRejectLabel(Set({"f47ac10b-58cc-4372-a567-0e02b2c3d479", "42"})));
  EXPECT_FALSE(ShouldRejectLabel(Set({"api", "42"})));
  EXPECT_FALSE(ShouldRejectLabel(Set({"api"})));
}

TEST(DetectedLabelsTest, UuidForms) {
  EXPECT_TRUE(IsUuid("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
  EXPECT_TRUE(IsUuid("{f47ac10b-58cc-4372-a567-0e02b2c3d479}"));
  EXPECT_TRUE(IsUuid("urn:uuid:f47ac10b-58cc-4372-a567-0e02b2c3d479"));
  EXPECT_TRUE(IsUuid("f47ac10b58cc4372a5670e02b2c3d479"));
  EXPECT_FALSE(IsUuid("f47ac10b-58cc-4372-a567-0e02b2c3d47"));
  EXPECT_FALSE(IsUuid("g47ac10b-58cc-4372-a567-0e02b2c3d479"));
  EXPECT_FALSE(IsUuid("api"));
}

TEST(DetectedLabelsTest, CardinalityPerLabelAndStaticLabelsKept) {
  DetectedLabelsCollector c;
  for (int i = 0; i < 5; ++i) {
    c.Add(Labels::FromPairs({{"service_name", i % 2 ? "api" : "web"},
                             {"pod", std::to_string(100 + i)},
                             {"request_id", std::to_string(1000 + i)},
                             {"env", "prod"}}));
  }
  auto labels = c.Labels();
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0].label, "env");
  EXPECT_EQ(labels[0].cardinality, 1u);
  EXPECT_EQ(labels[1].label, "pod");  // all numeric, but pod is static
  EXPECT_EQ(labels[1].cardinality, 5u);
  EXPECT_EQ(labels[2].label, "service_name");
  EXPECT_EQ(labels[2].cardinality, 2u);
}

}  // namespace
}  // namespace sluice::logql::drilldown
