// Line filters, line_format / label_format, drop / keep / decolorize and templates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"
#include "testing/status_matchers.h"

namespace sluice::logql::log {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

bool Keeps(LineFilterOp op, std::vector<LineFilterArg> args, std::string_view line) {
  auto f = NewLineFilter(op, std::move(args));
  EXPECT_THAT(f.status(), IsOk());
  return (*f)->Matches(line);
}

TEST(LineFilter, ContainsRegexPatternOr) {
  EXPECT_TRUE(Keeps(LineFilterOp::kContains, {{"disk"}}, "level=error msg=disk full"));
  EXPECT_TRUE(Keeps(LineFilterOp::kContains, {{""}}, "anything"));
  EXPECT_FALSE(Keeps(LineFilterOp::kNotContains, {{"error"}, {"warn"}}, "level=warn"));
  EXPECT_TRUE(Keeps(LineFilterOp::kNotContains, {{"error"}, {"warn"}}, "level=info"));
  EXPECT_TRUE(Keeps(LineFilterOp::kContains, {{"disk"}, {"slow"}}, "slow error path"));
  EXPECT_TRUE(Keeps(LineFilterOp::kRegex, {{"(?i)DISK"}}, "disk full"));
  EXPECT_FALSE(Keeps(LineFilterOp::kNotRegex, {{"d.sk"}}, "disk full"));
  EXPECT_TRUE(Keeps(LineFilterOp::kPattern, {{"<_> error <_>"}}, "a error b"));
  EXPECT_FALSE(Keeps(LineFilterOp::kPattern, {{"<_> bar"}}, "foo bar baz"));
  EXPECT_TRUE(Keeps(LineFilterOp::kNotPattern, {{"<_> bar"}}, "foo bar baz"));
  EXPECT_THAT(NewLineFilter(LineFilterOp::kRegex, {{"(a"}}).status(),
              StatusIs(StatusCode::kInvalidArgument, "error parsing regexp"));
  EXPECT_THAT(NewLineFilter(LineFilterOp::kPattern, {{"<a> x"}}).status(),
              StatusIs(StatusCode::kInvalidArgument, "named captures are not allowed"));
}

TEST(LineFilter, Ip) {
  EXPECT_TRUE(Keeps(LineFilterOp::kContains, {{"192.168.0.0/16", true}}, "from 192.168.4.5 ok"));
  EXPECT_FALSE(Keeps(LineFilterOp::kContains, {{"192.168.0.0/16", true}}, "from 10.0.0.1 ok"));
  EXPECT_TRUE(Keeps(LineFilterOp::kContains, {{"10.0.0.1-10.0.0.9", true}}, "x=10.0.0.5"));
  EXPECT_TRUE(Keeps(LineFilterOp::kContains, {{"::1", true}}, "addr ::1 here"));
  EXPECT_TRUE(Keeps(LineFilterOp::kNotContains, {{"1.2.3.4", true}}, "1.2.3.5"));
  EXPECT_THAT(NewLineFilter(LineFilterOp::kContains, {{"999.1", true}}).status(),
              StatusIs(StatusCode::kInvalidArgument, "ip: invalid pattern: \"999.1\""));
  EXPECT_THAT(NewLineFilter(LineFilterOp::kRegex, {{"1.2.3.4", true}}).status(),
              StatusIs(StatusCode::kInvalidArgument, "ip: invalid operation"));
}

TEST(Pipeline, PushdownIsLeadingLineFilters) {
  std::vector<std::unique_ptr<Stage>> st;
  st.push_back(std::move(*NewLineFilterStage(LineFilterOp::kContains, {{"a"}})));
  st.push_back(std::move(*NewLineFilterStage(LineFilterOp::kNotContains, {{"b"}})));
  st.push_back(std::move(*NewJsonParser({})));
  st.push_back(std::move(*NewLineFilterStage(LineFilterOp::kContains, {{"zzz"}})));
  Pipeline p(std::move(st));
  auto f = p.PushdownFilter();
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->Matches("a"));  // the trailing "zzz" filter is not pushed down
  EXPECT_FALSE(f->Matches("ab"));
  EXPECT_EQ(Pipeline().PushdownFilter(), nullptr);
}

struct Out {
  std::string line;
  std::vector<Label> labels;
};

Out Apply(Stage& s, std::string_view line, LabelsBuilder* lb, int64_t ts = 0) {
  std::string_view l = line;
  EXPECT_TRUE(s.Process(ts, &l, lb));
  Out o{std::string(l), {}};
  lb->AppendAll(&o.labels);
  return o;
}

LabelsBuilder ExampleC() {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"app", "x"}, {"namespace", "dev"}}));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "level", "error");
  lb.Set(LabelCategory::kParsed, "msg", "disk full");
  lb.Set(LabelCategory::kParsed, "duration", "300ms");
  return lb;
}

std::string Render(std::string_view tmpl, std::string_view line = "the line", int64_t ts = 0) {
  auto s = NewLineFormat(tmpl);
  EXPECT_THAT(s.status(), IsOk()) << tmpl;
  if (!s.ok())
    return "<compile error>";
  LabelsBuilder lb = ExampleC();
  Out o = Apply(**s, line, &lb, ts);
  if (lb.HasError())
    return "ERR: " + std::string(lb.error_details());
  return o.line;
}

TEST(LineFormat, Example22) {
  EXPECT_EQ(Render("{{.level | upper}}: {{.msg}}"), "ERROR: disk full");
  EXPECT_EQ(Render("{{.msg}}"), "disk full");  // simple-field fast path
  EXPECT_EQ(Render("[{{ .missing }}]"), "[]");
  EXPECT_EQ(Render("{{ __line__ }}!"), "the line!");
  EXPECT_EQ(Render("{{ __timestamp__ | unixEpoch }}", "", 1'700'000'000'123'000'000), "1700000000");
  EXPECT_EQ(Render(R"({{ __timestamp__ | date "2006-01-02T15:04:05.000Z07:00" }})", "",
                   1'700'000'000'123'000'000),
            "2023-11-14T22:13:20.123Z");
}

TEST(LineFormat, ErrorsAtConstruction) {
  EXPECT_THAT(NewLineFormat("{{ nope .a }}").status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "invalid line template: template: line:1: function \"nope\" not defined"));
  EXPECT_THAT(NewLineFormat("{{ .a ").status(),
              StatusIs(StatusCode::kInvalidArgument, "unclosed action"));
  EXPECT_THAT(NewLineFormat("{{ if .a }}x").status(),
              StatusIs(StatusCode::kInvalidArgument, "unexpected EOF"));
}

TEST(LineFormat, RenderErrorSetsTemplateFormatErr) {
  auto s = NewLineFormat("{{ div 1 0 }}");
  ASSERT_THAT(s.status(), IsOk());
  LabelsBuilder lb = ExampleC();
  Out o = Apply(**s, "orig", &lb);
  EXPECT_EQ(o.line, "orig");
  EXPECT_EQ(lb.error(), "TemplateFormatErr");
  EXPECT_THAT(std::string(lb.error_details()), ::testing::HasSubstr("integer divide by zero"));
}

TEST(Template, ControlFlowAndComparisons) {
  EXPECT_EQ(
      Render(R"({{ if eq .level "error" }}E{{ else if eq .level "warn" }}W{{ else }}I{{ end }})"),
      "E");
  EXPECT_EQ(Render(R"({{ if and (ne .level "info") (not .missing) }}yes{{ end }})"), "yes");
  EXPECT_EQ(Render(R"({{ if or .missing .msg }}{{ len .msg }}{{ end }})"), "9");
  EXPECT_EQ(Render(R"({{ if lt 1 2 }}lt{{ end }}{{ if gt 2.5 1.5 }}gt{{ end }})"), "ltgt");
  EXPECT_EQ(Render(R"({{- with .msg -}} <{{ . }}> {{- end }})"), "<disk full>");
  EXPECT_EQ(Render(R"({{ $x := .level }}{{ $x }}-{{ $.msg }})"), "error-disk full");
  EXPECT_EQ(Render(R"({{/* comment */}}a)"), "a");
  EXPECT_EQ(Render(R"({{ range $i, $e := 3 }}{{ $i }}{{ end }})"), "012");
}

TEST(Template, StringFunctions) {
  EXPECT_EQ(
      Render(R"({{ printf "%s=%d %.2f %5s|%-3s|%q %v" .level 42 3.14159 "ab" "c" "q" true }})"),
      R"(error=42 3.14    ab|c  |"q" true)");
  EXPECT_EQ(Render(R"({{ printf "%b %b" -5 (sub -9223372036854775807 1) }})"),
            "-101 -1" + std::string(63, '0'));  // the most negative int64 too, as Go
  EXPECT_EQ(Render(R"({{ default "none" .missing }} {{ default "none" .level }})"), "none error");
  EXPECT_EQ(
      Render(
          R"({{ trim "  a b  " }}|{{ trimSpace " x " }}|{{ trimPrefix "di" .msg }}|{{ trimSuffix "ull" .msg }}|{{ trimAll "$" "$$5$" }})"),
      "a b|x|sk full|disk f|5");
  EXPECT_EQ(Render(R"({{ lower "AbC" }} {{ upper "AbC" }} {{ title "hello wide world" }})"),
            "abc ABC Hello Wide World");
  EXPECT_EQ(
      Render(
          R"({{ replace "disk" "DISK" .msg }} {{ substr 0 4 .msg }} {{ trunc 2 .msg }} {{ trunc -4 .msg }})"),
      "DISK full disk di full");
  EXPECT_EQ(
      Render(R"({{ contains "sk" .msg }} {{ hasPrefix "disk" .msg }} {{ hasSuffix "x" .msg }})"),
      "true true false");
  EXPECT_EQ(Render(R"({{ indent 2 "a\nb" }}|{{ nindent 1 "c" }}|{{ repeat 3 "ab" }})"),
            "  a\n  b|\n c|ababab");
  EXPECT_EQ(
      Render(
          R"x({{ regexReplaceAll "(\\w+) (\\w+)" .msg "${2}-$1" }} {{ regexReplaceAllLiteral "d" .msg "$1" }} {{ count "s" "sss" }})x"),
      "full-disk $1isk full 3");
  EXPECT_EQ(
      Render(
          R"({{ urlencode "a b&c" }} {{ urldecode "a+b%26c" }} {{ b64enc "hello" }} {{ b64dec "aGVsbG8" }})"),
      "a+b%26c a b&c aGVsbG8= hello");
  EXPECT_EQ(Render(R"([{{ alignLeft 5 "ab" }}][{{ alignRight 5 "ab" }}][{{ alignLeft 1 "ab" }}])"),
            "[ab   ][   ab][a]");
  EXPECT_EQ(
      Render(
          R"({{ ToUpper "a" }}{{ ToLower "B" }}{{ Replace "aaa" "a" "b" 2 }}{{ Trim "xax" "x" }}{{ TrimLeft "xax" "x" }}{{ TrimRight "xax" "x" }}{{ TrimPrefix "ab" "a" }}{{ TrimSuffix "ab" "b" }}{{ TrimSpace " s " }})"),
      "Abbbaaaxxabas");
}

TEST(Template, Arithmetic) {
  EXPECT_EQ(
      Render(R"({{ add 1 2 "3" }} {{ sub 5 7 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 4 }})"),
      "6 -2 24 3 3");
  EXPECT_EQ(Render(R"({{ addf 1.5 2 }} {{ subf 5 0.5 }} {{ mulf 1.5 2 }} {{ divf 1 4 }})"),
            "3.5 4.5 3 0.25");
  EXPECT_EQ(Render(R"({{ max 1 5 3 }} {{ min 4 2 }} {{ maxf 1.5 2.5 }} {{ minf 1.5 2.5 }})"),
            "5 2 2.5 1.5");
  EXPECT_EQ(
      Render(
          R"({{ ceil 1.2 }} {{ floor 1.8 }} {{ round 1.2345 2 }} {{ int "42" }} {{ float64 "1.5" }})"),
      "2 1 1.23 42 1.5");
  EXPECT_EQ(
      Render(R"({{ bytes "1 KiB" }} {{ duration "1m30s" }} {{ duration_seconds .duration }})"),
      "1024 90 0.3");
  EXPECT_EQ(Render(R"({{ mulf 1000000 1 }})"), "1e+06");
  // Folds start from the first argument; max / min look at every one.
  EXPECT_EQ(Render(R"({{ subf 10 1 2 3 }} {{ max 3 9 4 }} {{ minf 2.5 -1 0 }} {{ mul 5 }})"),
            "4 9 -1 5");
}

TEST(Template, UnicodeEscapesInStrings) {
  EXPECT_EQ(Render(R"({{ "\u00e9\U0001F600" }})"), "\xc3\xa9\xf0\x9f\x98\x80");
  // Go's strconv: a \U beyond U+10FFFF or a surrogate is not a valid string literal.
  EXPECT_FALSE(NewLineFormat(R"({{ "\U00110000" }})").ok());
  EXPECT_FALSE(NewLineFormat(R"({{ "\ud800" }})").ok());
}

TEST(Template, Dates) {
  EXPECT_EQ(Render(R"({{ toDate "2006-01-02" "2024-03-05" | unixEpoch }})"), "1709596800");
  EXPECT_EQ(Render(R"({{ unixToTime "1700000000" | unixEpochMillis }})"), "1700000000000");
  EXPECT_EQ(Render(R"({{ unixToTime "1700000000123" | unixEpochNanos }})"), "1700000000123000000");
  EXPECT_EQ(Render(R"({{ date "Mon Jan _2 15:04:05 2006" (unixToTime "1700000000") }})"),
            "Tue Nov 14 22:13:20 2023");
  EXPECT_EQ(Render(R"({{ unixToTime "1700000000" }})"), "2023-11-14 22:13:20 +0000 UTC");
}

TEST(LabelFormat, Example23RenameAndTemplate) {
  auto s = NewLabelFormat({{"sev", "level", false}, {"who", "{{.app}}-{{.namespace}}", true}});
  ASSERT_THAT(s.status(), IsOk());
  LabelsBuilder lb = ExampleC();
  Out o = Apply(**s, "l", &lb);
  EXPECT_EQ(
      Labels(o.labels).ToString(),
      R"({app="x", duration="300ms", msg="disk full", namespace="dev", sev="error", who="x-dev"})");
  EXPECT_THAT(NewLabelFormat({{"a", "b", false}, {"a", "c", false}}).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "multiple label name 'a' not allowed in a single format operation"));
  EXPECT_THAT(NewLabelFormat({{"a", "{{ bad }}", true}}).status(),
              StatusIs(StatusCode::kInvalidArgument, "invalid template for label 'a'"));
}

TEST(DropKeep, Semantics) {
  auto m = LabelMatcher::Make(MatchType::kEqual, "level", "error");
  ASSERT_THAT(m.status(), IsOk());
  auto drop = NewDropLabels({{"msg", std::nullopt}, {"level", *m}, {"__error__", std::nullopt}});
  LabelsBuilder lb = ExampleC();
  lb.SetError("JSONParserErr", "details");
  Out o = Apply(*drop, "l", &lb);
  EXPECT_EQ(Labels(o.labels).ToString(),
            R"({__error_details__="details", app="x", duration="300ms", namespace="dev"})");

  auto keep = NewKeepLabels({{"app", std::nullopt}, {"level", *m}});
  LabelsBuilder lb2 = ExampleC();
  lb2.SetError("LabelFilterErr");
  Out k = Apply(*keep, "l", &lb2);
  EXPECT_EQ(Labels(k.labels).ToString(), R"({__error__="LabelFilterErr", app="x", level="error"})");
}

TEST(Decolorize, StripsAnsi) {
  auto d = NewDecolorize();
  LabelsBuilder lb = ExampleC();
  EXPECT_EQ(Apply(*d, "\x1b[31mred\x1b[0m plain \x1b[1;32mbold\x1b[m", &lb).line, "red plain bold");
  EXPECT_EQ(Apply(*d, "nothing", &lb).line, "nothing");
}

TEST(LabelsBuilder, CategoriesPrecedenceAndHash) {
  LabelsBuilder lb;
  lb.SetStream(Labels::FromPairs({{"app", "x"}, {"env", "prod"}}));
  std::vector<Label> md = {{"app", "meta"}, {"trace_id", "t1"}, {"__error__", "E"}};
  lb.Reset(md);
  EXPECT_EQ(lb.GetOrEmpty("app_extracted"), "meta");
  EXPECT_EQ(lb.error(), "E");
  lb.Set(LabelCategory::kParsed, "trace_id", "t2");              // parsed beats metadata
  lb.Set(LabelCategory::kStructuredMetadata, "trace_id", "t3");  // no-op
  EXPECT_EQ(lb.GetOrEmpty("trace_id"), "t2");
  std::string name;
  lb.ExtractedName("env", &name);
  EXPECT_EQ(name, "env_extracted");
  lb.Del("env");
  EXPECT_FALSE(lb.Has("env"));
  EXPECT_TRUE(lb.BaseHas("env"));
  std::vector<Label> stream, meta, parsed;
  lb.AppendCategory(LabelCategory::kStream, &stream);
  lb.AppendCategory(LabelCategory::kStructuredMetadata, &meta);
  lb.AppendCategory(LabelCategory::kParsed, &parsed);
  EXPECT_EQ(Labels(stream).ToString(), R"({app="x"})");
  EXPECT_EQ(Labels(meta).ToString(), R"({app_extracted="meta"})");
  EXPECT_EQ(Labels(parsed).ToString(), R"({__error__="E", trace_id="t2"})");
  EXPECT_EQ(lb.Hash(), lb.Labels().Hash());
  lb.Set(LabelCategory::kParsed, "empty", "");
  EXPECT_EQ(lb.Hash(), lb.Labels().Hash());
  lb.Reset();
  EXPECT_EQ(lb.Labels().ToString(), R"({app="x", env="prod"})");
  EXPECT_FALSE(lb.Extracted("trace_id"));
}

TEST(SanitizeLabelName, LokiRules) {
  EXPECT_EQ(SanitizeLabelName("a.b-c"), "a_b_c");
  EXPECT_EQ(SanitizeLabelName("9x"), "_9x");
  EXPECT_EQ(SanitizeLabelName("  "), "");
  EXPECT_EQ(SanitizeLabelName("\xc3\xa9t\xc3\xa9"), "_t_");
}

}  // namespace
}  // namespace sluice::logql::log
