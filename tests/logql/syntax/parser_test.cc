#include "logql/syntax/parser.h"

#include <string>

#include <gtest/gtest.h>

#include "logql/syntax/printer.h"

namespace sluice::logql::syntax {
namespace {

std::unique_ptr<Expr> MustParse(std::string_view q) {
  auto e = ParseExpr(q);
  EXPECT_TRUE(e.ok()) << q << ": " << e.status().message();
  return e.ok() ? std::move(*e) : nullptr;
}

std::string ErrorOf(std::string_view q) {
  auto e = ParseExpr(q);
  if (e.ok())
    return "OK";
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  return e.status().message();
}

TEST(ParserTest, LogQueryAst) {
  auto e = MustParse(
      R"({app="api", env=~"prod|dev"} |= "err" or ip("10.0.0.1") != "x" | json a="b.c[0]", d)"
      R"( | logfmt --keep-empty | regexp `(?P<x>\d+)` | pattern "<a> <_>" | unpack)"
      R"( | line_format "{{.a}}" | label_format x=y, z="{{.a}}" | drop a, b="1" | keep c)"
      R"( | decolorize)");
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->kind, ExprKind::kLog);
  const auto& log = e->As<LogExpr>();
  ASSERT_EQ(log.matchers.size(), 2u);
  EXPECT_EQ(log.matchers[1].type(), MatchType::kRegex);
  EXPECT_EQ(log.matchers[1].value(), "prod|dev");
  ASSERT_EQ(log.stages.size(), 12u);
  const auto& lf = std::get<LineFilterStage>(log.stages[0]);
  EXPECT_EQ(lf.op, LineFilterOp::kContains);
  ASSERT_EQ(lf.args.size(), 2u);
  EXPECT_TRUE(lf.args[1].is_ip);
  EXPECT_EQ(std::get<LineFilterStage>(log.stages[1]).op, LineFilterOp::kNotContains);
  const auto& json = std::get<JsonParserStage>(log.stages[2]);
  ASSERT_EQ(json.extractions.size(), 2u);
  EXPECT_EQ(json.extractions[0].expression, "b.c[0]");
  EXPECT_EQ(json.extractions[1].expression, "d");
  EXPECT_TRUE(std::get<LogfmtParserStage>(log.stages[3]).keep_empty);
  EXPECT_FALSE(std::get<LogfmtParserStage>(log.stages[3]).strict);
  EXPECT_EQ(std::get<RegexpParserStage>(log.stages[4]).regex, R"((?P<x>\d+))");
  EXPECT_EQ(std::get<PatternParserStage>(log.stages[5]).pattern, "<a> <_>");
  EXPECT_TRUE(std::holds_alternative<UnpackParserStage>(log.stages[6]));
  EXPECT_EQ(std::get<LineFormatStage>(log.stages[7]).tmpl, "{{.a}}");
  const auto& lfmt = std::get<LabelFormatStage>(log.stages[8]);
  EXPECT_TRUE(lfmt.assignments[0].is_rename);
  EXPECT_EQ(lfmt.assignments[0].value, "y");
  EXPECT_FALSE(lfmt.assignments[1].is_rename);
  const auto& drop = std::get<DropStage>(log.stages[9]);
  EXPECT_FALSE(drop.labels[0].matcher.has_value());
  ASSERT_TRUE(drop.labels[1].matcher.has_value());
  EXPECT_EQ(drop.labels[1].matcher->value(), "1");
  EXPECT_EQ(std::get<KeepStage>(log.stages[10]).labels[0].name, "c");
  EXPECT_TRUE(std::holds_alternative<DecolorizeStage>(log.stages[11]));
}

TEST(ParserTest, LabelFilterKindsAndGrouping) {
  auto e = MustParse(R"({a="b"} | x > 5 and y < 1.5s or z >= 10MB, w="q" | ip = ip("1.2.3.0/24"))");
  const auto& log = e->As<LogExpr>();
  const auto& root =
      std::get<BinaryLabelFilter>(std::get<LabelFilterStage>(log.stages[0]).filter.node);
  // (x and y) or (z , w): `and` binds tighter than `or`, `,` takes the rest.
  EXPECT_TRUE(root.is_or);
  const auto& left = std::get<BinaryLabelFilter>(root.left->node);
  EXPECT_FALSE(left.is_or);
  EXPECT_EQ(std::get<NumericLabelFilter>(left.left->node).value, 5);
  EXPECT_EQ(std::get<DurationLabelFilter>(left.right->node).value_ns, 1'500'000'000);
  const auto& right = std::get<BinaryLabelFilter>(root.right->node);
  EXPECT_FALSE(right.is_or);
  EXPECT_EQ(std::get<BytesLabelFilter>(right.left->node).value, 10'000'000u);
  EXPECT_EQ(std::get<StringLabelFilter>(right.right->node).matcher.name(), "w");
  const auto& ip = std::get<IpLabelFilter>(std::get<LabelFilterStage>(log.stages[1]).filter.node);
  EXPECT_EQ(ip.name, "ip");
  EXPECT_EQ(ip.pattern, "1.2.3.0/24");

  // Comma and juxtaposition group to the right: x, y or z == x and (y or z).
  auto c = MustParse(R"({a="b"} | x="1", y="2" or z="3")");
  const auto& croot = std::get<BinaryLabelFilter>(
      std::get<LabelFilterStage>(c->As<LogExpr>().stages[0]).filter.node);
  EXPECT_FALSE(croot.is_or);
  EXPECT_TRUE(std::get<BinaryLabelFilter>(croot.right->node).is_or);
  EXPECT_EQ(Print(*c), R"({a="b"} | ( x="1" , ( y="2" or z="3" ) ))");
  EXPECT_EQ(Print(*MustParse(R"({a="b"} | x="1" y="2")")), R"({a="b"} | ( x="1" , y="2" ))");
  EXPECT_EQ(Print(*MustParse(R"({a="b"} | x > -1 | y == 2.50)")), R"({a="b"} | x>-1 | y==2.5)");
}

TEST(ParserTest, MetricAst) {
  auto e = MustParse(
      R"(sum by (pod) (avg_over_time({a="b"} | json | unwrap duration_seconds(lat) | __error__="" [5m] offset 1h) by (pod)))"
      R"( / on (pod) group_left (node) max without (x) (rate({a="b"}[1m])) > bool 0.5)");
  ASSERT_EQ(e->kind, ExprKind::kBinary);
  const auto& cmp = e->As<BinaryExpr>();
  EXPECT_EQ(cmp.op, BinaryOp::kGreater);
  EXPECT_TRUE(cmp.return_bool);
  EXPECT_EQ(cmp.rhs->As<LiteralExpr>().value, 0.5);
  const auto& div = cmp.lhs->As<BinaryExpr>();
  EXPECT_EQ(div.op, BinaryOp::kDiv);
  EXPECT_TRUE(div.matching.on);
  EXPECT_EQ(div.matching.labels, std::vector<std::string>{"pod"});
  EXPECT_EQ(div.matching.card, Cardinality::kManyToOne);
  EXPECT_EQ(div.matching.include, std::vector<std::string>{"node"});
  const auto& sum = div.lhs->As<VectorAggregationExpr>();
  EXPECT_EQ(sum.op, VectorOp::kSum);
  ASSERT_TRUE(sum.grouping.has_value());
  EXPECT_FALSE(sum.grouping->without);
  const auto& avg = sum.inner->As<RangeAggregationExpr>();
  EXPECT_EQ(avg.op, RangeOp::kAvgOverTime);
  EXPECT_EQ(avg.range.range_ns, 300'000'000'000);
  EXPECT_EQ(avg.range.offset_ns, 3600'000'000'000);
  ASSERT_TRUE(avg.range.unwrap.has_value());
  EXPECT_EQ(avg.range.unwrap->label, "lat");
  EXPECT_EQ(avg.range.unwrap->conversion, UnwrapConversion::kDurationSeconds);
  EXPECT_EQ(avg.range.unwrap->post_filters.size(), 1u);
  EXPECT_EQ(avg.range.log->stages.size(), 1u);
  const auto& max = div.rhs->As<VectorAggregationExpr>();
  EXPECT_TRUE(max.grouping->without);

  auto topk = MustParse(R"(topk(3, count_over_time({a="b"}[5m])))");
  EXPECT_EQ(topk->As<VectorAggregationExpr>().param, 3);
  auto q = MustParse(R"(quantile_over_time(0.99, {a="b"} | unwrap x [1m]))");
  EXPECT_EQ(q->As<RangeAggregationExpr>().param, 0.99);
  auto lr = MustParse(R"q(label_replace(vector(1), "dst", "$1", "src", "(.*)"))q");
  EXPECT_EQ(lr->As<LabelReplaceExpr>().regex, "(.*)");
  EXPECT_EQ(lr->As<LabelReplaceExpr>().inner->As<VectorExpr>().value, 1);
}

TEST(ParserTest, RangePlacements) {
  const char* same[] = {
      R"(count_over_time({a="b"} | json [5m]))",
      R"(count_over_time({a="b"}[5m] | json))",
      R"(count_over_time(({a="b"} | json)[5m]))",
      R"(count_over_time(({a="b"} | json [5m])))",
  };
  for (const char* q : same) {
    EXPECT_EQ(Print(*MustParse(q)), R"(count_over_time({a="b"} | json[5m]))") << q;
  }
  EXPECT_EQ(Print(*MustParse(R"(sum_over_time({a="b"}[5m] offset 1m | unwrap x))")),
            R"(sum_over_time({a="b"} | unwrap x[5m] offset 1m0s))");
  EXPECT_EQ(Print(*MustParse(R"(sum_over_time(({a="b"})[5m] | unwrap x))")),
            R"(sum_over_time({a="b"} | unwrap x[5m]))");
}

TEST(ParserTest, LiteralsAndPrecedence) {
  EXPECT_EQ(Print(*MustParse("1 + 2 * 3")), "7");
  EXPECT_EQ(Print(*MustParse("2 ^ 3 ^ 2")), "512");
  EXPECT_EQ(Print(*MustParse("-2 ^ 2")), "4");
  EXPECT_EQ(Print(*MustParse("10 > 3")), "1");
  EXPECT_EQ(Print(*MustParse("(1 - 2) - 3")), "-4");
  EXPECT_EQ(Print(*MustParse("1 / 0")), "NaN");
  EXPECT_EQ(Print(*MustParse("1e6")), "1e+06");
  EXPECT_EQ(Print(*MustParse("vector(1) + 2 * 3")), "(vector(1.000000) + 6)");
  EXPECT_EQ(Print(*MustParse("vector(1) - vector(2) - vector(3)")),
            "((vector(1.000000) - vector(2.000000)) - vector(3.000000))");
  EXPECT_EQ(Print(*MustParse("vector(1) or vector(2) and vector(3)")),
            "(vector(1.000000) or (vector(2.000000) and vector(3.000000)))");
  EXPECT_EQ(Print(*MustParse("vector(2) ^ vector(3) ^ vector(2)")),
            "(vector(2.000000) ^ (vector(3.000000) ^ vector(2.000000)))");
}

TEST(ParserTest, FunctionWordsAsLabelNames) {
  for (const char* q : {R"({ip="1.2.3.4"})", R"({rate="x"} | bytes > 1KB | duration > 1s)",
                        R"(sum by (count, bytes) (count_over_time({count="a"} | rate="x" [5m])))",
                        R"({a="b"} | vector="1" | label_replace="x" | sum=~"y")"}) {
    EXPECT_NE(MustParse(q), nullptr) << q;
  }
}

TEST(ParserTest, SyntaxErrors) {
  EXPECT_EQ(ErrorOf(R"({on="x"})"),
            "parse error at line 1, col 2: syntax error: unexpected on, "
            "expecting IDENTIFIER or }");
  EXPECT_EQ(
      ErrorOf(R"(sum by (json) (rate({a="b"}[1m])))"),
      "parse error at line 1, col 9: syntax error: unexpected json, expecting IDENTIFIER or )");
  EXPECT_EQ(ErrorOf(R"({a="b"} | x == "s")"),
            "parse error at line 1, col 16: syntax error: unexpected STRING");
  EXPECT_EQ(ErrorOf(R"(-rate({a="b"}[1m]))"),
            "parse error at line 1, col 2: syntax error: unexpected RATE, expecting NUMBER");
  EXPECT_EQ(ErrorOf(R"({a="b"} | unwrap x)"),
            "parse error at line 1, col 11: syntax error: unexpected unwrap");
  EXPECT_EQ(ErrorOf(R"(rate({a="b"}[5m]) offset 5m)"),
            "parse error at line 1, col 19: syntax error: unexpected offset");
  EXPECT_EQ(ErrorOf("{a=\"b\"}\n  | json |"),
            "parse error at line 2, col 11: syntax error: "
            "unexpected $end");
  EXPECT_EQ(ErrorOf(R"({a='b'})"),
            "parse error at line 1, col 4: syntax error: unexpected IDENTIFIER, expecting STRING");
  EXPECT_EQ(ErrorOf(R"({a="\d"})"), "parse error at line 1, col 4: invalid char escape");
  EXPECT_EQ(ErrorOf(R"(count_over_time({a="b"}[5m]) by (a))"),
            "parse error : grouping not allowed for count_over_time aggregation");
}

TEST(ParserTest, ValidationErrors) {
  const std::string kNeed =
      "parse error : queries require at least one regexp or equality matcher that does not "
      "have an empty-compatible value. For instance, app=~\".*\" does not meet this "
      "requirement, but app=~\".+\" will";
  for (const char* q : {R"({a=""})", R"({a!="x"})", R"({a=~".*"})", R"({})",
                        R"(rate({a!~"x"}[1m]))", R"(sum(rate({a=""}[1m])) + 1)"}) {
    EXPECT_EQ(ErrorOf(q), kNeed) << q;
  }
  EXPECT_EQ(ErrorOf(R"({a!=""})"), "OK");
  EXPECT_EQ(ErrorOf(R"({a=~".+"})"), "OK");
  EXPECT_EQ(ErrorOf(R"(sum_over_time({a="b"} | json [5m]))"),
            "parse error : invalid aggregation sum_over_time without unwrap");
  EXPECT_EQ(ErrorOf(R"(quantile_over_time({a="b"} | unwrap x [5m]))"),
            "parse error : parameter required for operation quantile_over_time");
  EXPECT_EQ(ErrorOf(R"(rate(5, {a="b"}[5m]))"),
            "parse error : parameter 5 not supported for operation rate");
  EXPECT_EQ(ErrorOf(R"(topk(0, rate({a="b"}[5m])))"),
            "parse error : invalid parameter (must be greater than 0) topk(0");
  EXPECT_EQ(ErrorOf(R"(sort by (a) (rate({a="b"}[5m])))"),
            "parse error : sort and sort_desc doesn't allow grouping by ");
  EXPECT_EQ(ErrorOf(R"q({a="b"} | regexp "(\\d+)")q"),
            "parse error : invalid regexp parser: at least one named capture must be supplied");
  EXPECT_EQ(ErrorOf(R"({a="b"} | pattern "<a><b>")"),
            "parse error : invalid pattern parser: found consecutive capture '<a><b>': invalid "
            "expression");
  EXPECT_EQ(ErrorOf(R"({a="b"} | pattern "<_> x")"),
            "parse error : invalid pattern parser: at least one capture is required");
  EXPECT_EQ(ErrorOf(R"({a="b"} + 1)"),
            "parse error : unexpected type for left leg of binary operation (+): "
            "*syntax.MatchersExpr");
  EXPECT_EQ(ErrorOf(R"(1 and vector(1))"),
            "parse error : unexpected literal for left leg of logical/set binary operation "
            "(and): 1.000000");
  EXPECT_EQ(
      ErrorOf(R"({a="b"} | x > 0x10)"),
      R"(parse error : unable to parse literal as a float: strconv.ParseFloat: parsing "0x10": invalid syntax)");
  EXPECT_EQ(ErrorOf(std::string(kMaxQuerySize, ' ')),
            "parse error : input size too long (131072 > 131072)");
}

TEST(ParserTest, SampleAndLogEntryPoints) {
  EXPECT_FALSE(ParseSampleExpr(R"({a="b"})").ok());
  EXPECT_TRUE(ParseSampleExpr(R"(rate({a="b"}[1m]))").ok());
  EXPECT_TRUE(ParseLogSelector(R"({a="b"} |= "x")").ok());
  EXPECT_FALSE(ParseLogSelector(R"(rate({a="b"}[1m]))").ok());
}

TEST(ParserTest, CloneIsDeep) {
  auto e = MustParse(R"(sum(rate({a="b"} | x > 1 or y="z" | unwrap v | w < 2 [1m])) by (a))");
  ASSERT_NE(e, nullptr);
  // Unwrapped rate is allowed; the clone prints identically and owns its own tree.
  auto c = Clone(*e);
  EXPECT_EQ(Print(*c), Print(*e));
  EXPECT_NE(&c->As<VectorAggregationExpr>().inner->As<RangeAggregationExpr>().range,
            &e->As<VectorAggregationExpr>().inner->As<RangeAggregationExpr>().range);
}

}  // namespace
}  // namespace sluice::logql::syntax
