// Tests for logql/engine/label_replace.h (Prometheus label_replace semantics).
#include "logql/engine/label_replace.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::logql::engine {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

std::string Apply(const Labels& in, std::string_view dst, std::string_view repl,
                  std::string_view src, std::string_view re) {
  StepMatrix m(1);
  m.steps[0].push_back({m.table.Intern(in), 1});
  auto r = LabelReplace(m, dst, repl, src, re);
  EXPECT_THAT(r.status(), IsOk());
  if (!r.ok())
    return "";
  return r->table.at(r->steps[0][0].series).ToString();
}

TEST(LabelReplace, ExpandsGroupsOnAnchoredMatch) {
  const Labels l = Labels::FromPairs({{"service_name", "order-service"}});
  EXPECT_EQ(Apply(l, "svc", "$1", "service_name", "(.*)-service"),
            R"({service_name="order-service", svc="order"})");
  EXPECT_EQ(Apply(l, "svc", "${1}x", "service_name", "(.*)-service"),
            R"({service_name="order-service", svc="orderx"})");
  EXPECT_EQ(Apply(l, "svc", "$name!", "service_name", "(?P<name>[a-z]+)-.*"),
            R"({service_name="order-service", svc="order!"})");
  // `$1x` is the (missing) group named "1x": empty, so dst is not set.
  EXPECT_EQ(Apply(l, "svc", "$1x", "service_name", "(.*)-service"),
            R"({service_name="order-service"})");
  EXPECT_EQ(Apply(l, "svc", "$$1", "service_name", "(.*)-service"),
            R"({service_name="order-service", svc="$1"})");
}

TEST(LabelReplace, NoMatchLeavesSeriesUnchanged) {
  const Labels l = Labels::FromPairs({{"a", "xabc"}});
  EXPECT_EQ(Apply(l, "b", "$1", "a", "abc"), R"({a="xabc"})");  // anchored: no partial match
  EXPECT_EQ(Apply(l, "b", "y", "missing", "z"), R"({a="xabc"})");
}

TEST(LabelReplace, EmptyReplacementDeletesDestination) {
  const Labels l = Labels::FromPairs({{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(Apply(l, "b", "", "a", ".*"), R"({a="1"})");
  EXPECT_EQ(Apply(l, "a", "$1$1", "a", "(.*)"), R"({a="11", b="2"})");
}

TEST(LabelReplace, BadRegexIsInvalidArgument) {
  StepMatrix m(1);
  EXPECT_THAT(LabelReplace(m, "a", "", "b", "(").status(),
              StatusIs(StatusCode::kInvalidArgument, "regex"));
}

}  // namespace
}  // namespace sluice::logql::engine
