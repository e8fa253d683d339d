// Semantics of the log pipeline stages (logql.md §3, §8 examples; Loki's parser_test.go cases).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "logql/log/label_filter.h"
#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"
#include "logql/log/unwrap.h"
#include "testing/status_matchers.h"

namespace sluice::logql::log {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

// Runs one stage over `line` with stream labels `stream`; returns the full label string.
struct StageRun {
  bool kept = false;
  std::string line;
  std::string labels;
};

StageRun RunStage(Stage& s, std::string_view line,
                  const Labels& stream = Labels::FromPairs({{"app", "api"}}),
                  std::vector<Label> metadata = {}) {
  LabelsBuilder lb;
  lb.SetStream(stream);
  lb.Reset(metadata);
  StageRun r;
  std::string_view l = line;
  r.kept = s.Process(0, &l, &lb);
  r.line = std::string(l);
  std::vector<Label> all;
  lb.AppendAll(&all);
  std::string out = "{";
  for (size_t i = 0; i < all.size(); ++i) {
    if (i)
      out += ", ";
    out += all[i].name + "=";
    AppendQuoted(all[i].value, &out);
  }
  r.labels = out + "}";
  return r;
}

std::unique_ptr<Stage> Must(Result<std::unique_ptr<Stage>> r) {
  EXPECT_THAT(r.status(), IsOk());
  return std::move(*r);
}

TEST(JsonParser, FlattensAndSkipsArraysAndNull) {
  auto s = Must(NewJsonParser({}));
  StageRun r = RunStage(
      *s,
      R"({"user":{"id":7,"name":"ann"},"tags":["a","b"],"http.status":404,"ok":true,"nil":null})");
  EXPECT_TRUE(r.kept);
  EXPECT_EQ(r.labels, R"({app="api", http_status="404", ok="true", user_id="7", user_name="ann"})");
}

TEST(JsonParser, KeepsNumberTextAndUnescapes) {
  auto s = Must(NewJsonParser({}));
  EXPECT_EQ(RunStage(*s, R"({"v":1.50,"s":"a\"b\u00e9","9x":1," sp ":2})").labels,
            "{_9x=\"1\", app=\"api\", s=\"a\\\"b\xc3\xa9\", sp=\"2\", v=\"1.50\"}");
}

TEST(JsonParser, ExtractedSuffixForStreamLabelClash) {
  auto s = Must(NewJsonParser({}));
  StageRun r = RunStage(*s, R"({"level":"error","msg":"x"})",
                        Labels::FromPairs({{"app", "api"}, {"level", "info"}}));
  EXPECT_EQ(r.labels, R"({app="api", level="info", level_extracted="error", msg="x"})");
}

TEST(JsonParser, EscapedKeysSpacesAndMetadataClash) {
  auto s = Must(NewJsonParser({}));
  // Keys with escapes are unescaped; plain keys and values are read in place.
  EXPECT_EQ(RunStage(*s, R"({"k\u0065y":"v", "plain" : "x y" , "e":"a\\b"})").labels,
            R"({app="api", e="a\\b", key="v", plain="x y"})");
  // A structured-metadata name clashes like a stream label; the same key twice keeps the first.
  EXPECT_EQ(RunStage(*s, R"({"trace":"j1","trace":"j2","t2":"k"})",
                     Labels::FromPairs({{"app", "api"}}), {Label{"trace", "m"}})
                .labels,
            R"({app="api", t2="k", trace="m", trace_extracted="j1"})");
}

TEST(JsonParser, FirstDuplicateKeyWins) {
  auto s = Must(NewJsonParser({}));
  EXPECT_EQ(RunStage(*s, R"({"a":"1","a":"2"})").labels, R"({a="1", app="api"})");
}

TEST(JsonParser, ErrorOnNonJson) {
  auto s = Must(NewJsonParser({}));
  StageRun r = RunStage(*s, "not json");
  EXPECT_TRUE(r.kept);
  EXPECT_EQ(
      r.labels,
      R"({__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="api"})");
  EXPECT_THAT(RunStage(*s, R"({"a":"1", "b": )").labels, ::testing::HasSubstr("JSONParserErr"));
}

TEST(JsonParser, NeededLabelsOnly) {
  auto s = Must(NewJsonParser({}, std::vector<std::string>{"level", "a_b"}));
  EXPECT_EQ(RunStage(*s, R"({"x":1,"a":{"b":2,"c":3},"level":"warn","z":9})").labels,
            R"({a_b="2", app="api", level="warn"})");
  auto none = Must(NewJsonParser({}, std::vector<std::string>{}));
  EXPECT_EQ(RunStage(*none, "not json").labels, R"({app="api"})");
}

TEST(ParserGuard, DropsOnlyLinesThatCannotHoldTheValue) {
  auto guarded = NewParserGuard(*NewJsonParser({}), {{"level", "error"}});
  // Not json and no "error": dropped unparsed (no __error__ is set).
  EXPECT_FALSE(RunStage(*guarded, "plain text").kept);
  EXPECT_FALSE(RunStage(*guarded, R"({"level":"info"})").kept);
  EXPECT_TRUE(RunStage(*guarded, R"({"level":"error"})").kept);
  // An escape could spell the value, a label the entry already has is not the line's.
  EXPECT_EQ(RunStage(*guarded, R"({"level":"err\u006fr"})").labels,
            R"({app="api", level="error"})");
  EXPECT_TRUE(RunStage(*guarded, "x", Labels::FromPairs({{"level", "warn"}})).kept);
  EXPECT_TRUE(RunStage(*guarded, "x", Labels(), {Label{"level", "a"}}).kept);
  // Empty values prove nothing: the parser is returned unwrapped.
  auto plain = NewParserGuard(*NewJsonParser({}), {{"level", ""}});
  EXPECT_TRUE(RunStage(*plain, "plain text").kept);
}

TEST(JsonExpressionParser, Paths) {
  auto s = Must(NewJsonParser({{"uid", "user.id"},
                               {"first_tag", "tags[0]"},
                               {"email", "user.email"},
                               {"obj", "user"},
                               {"dots", R"(["http.status"])"}}));
  EXPECT_EQ(
      RunStage(*s, R"({"user":{"id":7,"name":"ann"},"tags":["a","b"],"http.status":404})").labels,
      R"({app="api", dots="404", email="", first_tag="a", obj="{\"id\":7,\"name\":\"ann\"}", uid="7"})");
  EXPECT_THAT(NewJsonParser({{"x", "a..b"}}).status(),
              StatusIs(StatusCode::kInvalidArgument, "cannot parse expression [a..b]"));
  auto bare = Must(NewJsonParser({{"level", ""}}));
  EXPECT_EQ(RunStage(*bare, R"({"level":"info"})").labels, R"({app="api", level="info"})");
  EXPECT_THAT(RunStage(*bare, "oops").labels, ::testing::HasSubstr(R"(__error__="JSONParserErr")"));
}

TEST(LogfmtParser, Basic) {
  auto s = Must(NewLogfmtParser({}, {}));
  EXPECT_EQ(RunStage(*s, R"(level=error msg="connection error" duration=1.5s empty= flag)").labels,
            R"({app="api", duration="1.5s", level="error", msg="connection error"})");
  auto keep = Must(NewLogfmtParser({.keep_empty = true}, {}));
  EXPECT_EQ(RunStage(*keep, "a=1 empty= flag").labels, R"({a="1", app="api", empty="", flag=""})");
}

TEST(LogfmtParser, StrictStopsAtFirstError) {
  auto lax = Must(NewLogfmtParser({}, {}));
  EXPECT_EQ(RunStage(*lax, "a=1 b==2 c=3").labels, R"({a="1", app="api", c="3"})");
  auto strict = Must(NewLogfmtParser({.strict = true}, {}));
  EXPECT_EQ(
      RunStage(*strict, "a=1 b==2 c=3").labels,
      R"({__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 7 : unexpected '='", a="1", app="api"})");
}

TEST(LogfmtParser, Params) {
  auto s = Must(NewLogfmtParser({}, {{"lvl", "level"}, {"missing", ""}}));
  EXPECT_EQ(RunStage(*s, "level=info msg=x").labels, R"({app="api", lvl="info", missing=""})");
}

TEST(RegexpParser, NamedGroups) {
  auto s = Must(NewRegexpParser(R"(duration=(?P<d>\S+)(?P<opt>x)?)"));
  EXPECT_EQ(RunStage(*s, "level=error msg=\"disk full\" duration=300ms").labels,
            R"({app="api", d="300ms", opt=""})");
  EXPECT_EQ(RunStage(*s, "nothing").labels, R"({app="api"})");
  EXPECT_THAT(
      NewRegexpParser("(a)").status(),
      StatusIs(StatusCode::kInvalidArgument, "at least one named capture must be supplied"));
  EXPECT_THAT(NewRegexpParser("(?P<a>").status(),
              StatusIs(StatusCode::kInvalidArgument, "error parsing regexp"));
}

TEST(PatternParser, Example27) {
  auto s = Must(NewPatternParser(R"(<ip> - - [<_>] "<method> <path> <_>" <status> <size>)"));
  EXPECT_EQ(
      RunStage(*s, R"(10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET /api/v1 HTTP/1.1" 200 512)",
               Labels::FromPairs({{"app", "web"}}))
          .labels,
      R"({app="web", ip="10.0.0.1", method="GET", path="/api/v1", size="512", status="200"})");
  EXPECT_THAT(NewPatternParser("<a><b>").status(),
              StatusIs(StatusCode::kInvalidArgument, "consecutive capture"));
  EXPECT_THAT(NewPatternParser("no captures").status(),
              StatusIs(StatusCode::kInvalidArgument, "at least one capture"));
  EXPECT_THAT(NewPatternParser("<a> <a>").status(),
              StatusIs(StatusCode::kInvalidArgument, "duplicate capture"));
  auto lead = Must(NewPatternParser("foo <x> bar"));
  EXPECT_EQ(RunStage(*lead, "xfoo 1 bar").labels, R"({app="api"})");
  EXPECT_EQ(RunStage(*lead, "foo 1 baz").labels, R"({app="api", x="1 baz"})");
}

TEST(UnpackParser, EntryReplacesLine) {
  auto s = Must(NewUnpackParser());
  StageRun r = RunStage(*s, R"({"_entry":"the line","pod":"p1","n":3})");
  EXPECT_EQ(r.line, "the line");
  EXPECT_EQ(r.labels, R"({app="api", pod="p1"})");
  StageRun no_entry = RunStage(*s, R"({"pod":"p1"})");
  EXPECT_EQ(no_entry.labels, R"({app="api"})");
  EXPECT_THAT(RunStage(*s, "x").labels,
              ::testing::HasSubstr("expecting json object(6), but it is not"));
}

LabelFilterExpr Str(MatchType t, std::string name, std::string v) {
  return LabelFilterExpr::String(*LabelMatcher::Make(t, std::move(name), std::move(v)));
}

TEST(LabelFilter, StringNumericDurationBytes) {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"app", "x"}}));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "status", "502");
  lb.Set(LabelCategory::kParsed, "dur", "1.5s");
  lb.Set(LabelCategory::kParsed, "size", "5 MB");
  EXPECT_TRUE(LabelFilterExpr::Numeric("status", CompareOp::kGe, 500).Process(&lb));
  EXPECT_FALSE(LabelFilterExpr::Numeric("status", CompareOp::kLt, 500).Process(&lb));
  EXPECT_TRUE(LabelFilterExpr::Numeric("status", CompareOp::kEq, 502.0).Process(&lb));
  EXPECT_TRUE(LabelFilterExpr::Duration("dur", CompareOp::kGt, 1'000'000'000).Process(&lb));
  EXPECT_FALSE(LabelFilterExpr::Duration("dur", CompareOp::kGt, 2'000'000'000).Process(&lb));
  EXPECT_TRUE(LabelFilterExpr::Bytes("size", CompareOp::kEq, 5'000'000).Process(&lb));
  // Missing label: numeric drops, string compares "".
  EXPECT_FALSE(LabelFilterExpr::Numeric("nope", CompareOp::kGt, 1).Process(&lb));
  EXPECT_TRUE(Str(MatchType::kEqual, "nope", "").Process(&lb));
  EXPECT_FALSE(Str(MatchType::kRegex, "nope", ".+").Process(&lb));
  EXPECT_FALSE(lb.HasError());
}

TEST(LabelFilter, ConversionErrorKeepsLineWithError) {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"app", "x"}}));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "level", "info");
  EXPECT_TRUE(LabelFilterExpr::Numeric("level", CompareOp::kGt, 5).Process(&lb));
  EXPECT_EQ(lb.error(), "LabelFilterErr");
  EXPECT_EQ(lb.error_details(), R"(strconv.ParseFloat: parsing "info": invalid syntax)");
  // A later error does not overwrite the first.
  EXPECT_TRUE(LabelFilterExpr::Duration("level", CompareOp::kGt, 1).Process(&lb));
  EXPECT_EQ(lb.error_details(), R"(strconv.ParseFloat: parsing "info": invalid syntax)");
  EXPECT_FALSE(Str(MatchType::kEqual, "__error__", "").Process(&lb));
  EXPECT_TRUE(Str(MatchType::kEqual, "__error__", "LabelFilterErr").Process(&lb));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "d", "abc");
  EXPECT_TRUE(LabelFilterExpr::Duration("d", CompareOp::kGt, 1).Process(&lb));
  EXPECT_EQ(lb.error_details(), R"(time: invalid duration "abc")");
}

TEST(LabelFilter, AndOrAndPrinting) {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"level", "error"}}));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "status", "200");
  auto f = LabelFilterExpr::Or(
      LabelFilterExpr::And(Str(MatchType::kEqual, "level", "error"),
                           LabelFilterExpr::Numeric("status", CompareOp::kGe, 500)),
      LabelFilterExpr::Duration("latency", CompareOp::kGt, 90'000'000'000));
  EXPECT_FALSE(f.Process(&lb));
  EXPECT_EQ(f.ToString(), R"(( ( level="error" , status>=500 ) or latency>1m30s ))");
  EXPECT_EQ(LabelFilterExpr::Bytes("size", CompareOp::kGt, 5'000'000).ToString(), "size>5.0MB");
  auto ip = LabelFilterExpr::Ip("addr", CompareOp::kEq, "10.0.0.0/8");
  ASSERT_THAT(ip.status(), IsOk());
  EXPECT_EQ(ip->ToString(), R"(addr=ip("10.0.0.0/8"))");
  lb.Set(LabelCategory::kParsed, "addr", "10.1.2.3");
  EXPECT_TRUE(ip->Process(&lb));
  EXPECT_THAT(LabelFilterExpr::Ip("a", CompareOp::kEq, "nope").status(),
              StatusIs(StatusCode::kInvalidArgument, "ip: invalid pattern"));
}

TEST(Conversions, GoCompatible) {
  EXPECT_EQ(*ParseHumanBytes("5 MB"), 5'000'000u);
  EXPECT_EQ(*ParseHumanBytes("1KiB"), 1024u);
  EXPECT_EQ(*ParseHumanBytes("42"), 42u);
  EXPECT_EQ(*ParseHumanBytes("1.5kb"), 1500u);
  EXPECT_THAT(ParseHumanBytes("3 parsecs").status(),
              StatusIs(StatusCode::kInvalidArgument, "unhandled size name: parsecs"));
  EXPECT_EQ(FormatGoDuration(5'400'000'000'000), "1h30m0s");
  EXPECT_EQ(FormatGoDuration(300'000'000), "300ms");
  EXPECT_EQ(FormatGoDuration(1'500'000'000), "1.5s");
  EXPECT_EQ(FormatGoDuration(1500), "1.5\xc2\xb5s");
  EXPECT_EQ(FormatHumanBytes(1024), "1.0 kB");
  EXPECT_EQ(FormatHumanBytes(5), "5 B");
  EXPECT_EQ(*ParseLabelFloat("1e3"), 1000);
  EXPECT_THAT(ParseLabelDuration("1").status(),
              StatusIs(StatusCode::kInvalidArgument, "time: missing unit in duration \"1\""));
}

TEST(Unwrap, ConversionsAndErrors) {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"app", "x"}}));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "latency", "500ms");
  lb.Set(LabelCategory::kParsed, "size", "1KiB");
  lb.Set(LabelCategory::kParsed, "bad", "abc");
  double v = -1;
  EXPECT_TRUE(UnwrapExtractor("latency", UnwrapConversion::kDuration).Extract(&lb, &v));
  EXPECT_DOUBLE_EQ(v, 0.5);
  EXPECT_TRUE(UnwrapExtractor("size", UnwrapConversion::kBytes).Extract(&lb, &v));
  EXPECT_DOUBLE_EQ(v, 1024);
  EXPECT_FALSE(UnwrapExtractor("missing", UnwrapConversion::kNone).Extract(&lb, &v));
  EXPECT_FALSE(lb.HasError());
  EXPECT_TRUE(UnwrapExtractor("bad", UnwrapConversion::kNone).Extract(&lb, &v));
  EXPECT_EQ(lb.error(), "SampleExtractionErr");
  EXPECT_EQ(lb.error_details(), R"(strconv.ParseFloat: parsing "abc": invalid syntax)");
}

}  // namespace
}  // namespace sluice::logql::log
