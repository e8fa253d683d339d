#include "logql/syntax/pretty.h"

#include <gtest/gtest.h>

#include "logql/engine.h"
#include "logql/syntax/parser.h"
#include "logql/syntax/printer.h"

namespace sluice::logql::syntax {
namespace {

TEST(PrettyTest, ShortQueriesStayOnOneLine) {
  auto e = ParseExpr(R"(sum by(a)(rate({x="y"}|json[5m])))");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Prettify(**e), R"(sum by (a)(rate({x="y"} | json[5m])))");
}

TEST(PrettyTest, LongQueriesSplitAndReparse) {
  const char* q =
      R"(sum by (service_name) (count_over_time({service_name="order-service", namespace="prod"} |= "error" | json | level="error" | status >= 500 [5m])))";
  auto e = ParseExpr(q);
  ASSERT_TRUE(e.ok());
  std::string pretty = Prettify(**e);
  // Each level splits only when its own one-line form exceeds 100 characters: the pipeline
  // (89 characters) stays on one line under the split aggregations.
  EXPECT_EQ(pretty,
            "sum by (service_name)(\n"
            "  count_over_time(\n"
            "    {service_name=\"order-service\", namespace=\"prod\"} |= \"error\" | json | "
            "level=\"error\" | status>=500 [5m]\n"
            "  )\n"
            ")");
  auto again = ParseExpr(pretty);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Print(**again), Print(**e));
}

TEST(PrettyTest, EngineFormat) {
  auto f = Engine::Format(R"({app="x"}   |=   "y")");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, R"({app="x"} |= "y")");
  auto bad = Engine::Format(R"({app="x"} |=)");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "parse error at line 1, col 13: syntax error: unexpected $end, expecting STRING or ip");
}

}  // namespace
}  // namespace sluice::logql::syntax
