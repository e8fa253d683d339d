// Pipeline stages, built from Promtail-shaped YAML through BuildPipeline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/pipeline_builder.h"
#include "agent/stages.h"
#include "agent_test_util.h"
#include "common/clock.h"
#include "testing/status_matchers.h"

namespace sluice::agent {
namespace {

using ::sluice::testing::StatusIs;

CompiledPipeline Build(const std::string& yaml, const std::string& base_dir = ".",
                       const Clock* clock = nullptr) {
  PipelineBuildOptions options;
  options.base_dir = base_dir;
  options.clock = clock;
  Result<CompiledPipeline> p = BuildPipeline(YAML::Load(yaml), options);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(*p) : CompiledPipeline{};
}

PipelineEntry RunLine(CompiledPipeline& p, std::string line, LabelMap labels = {},
                      int64_t ts_ns = 1) {
  PipelineEntry e;
  e.line = std::move(line);
  e.labels = std::move(labels);
  e.ts_ns = ts_ns;
  p.pipeline->Process(&e);
  return e;
}

TEST(PipelineTest, JsonLabelsTimestampOutputMetadata) {
  CompiledPipeline p = Build(R"(
- json:
    expressions:
      level: level
      ts: timestamp
      msg:
      status: http.status
      first: items[0]
      dotted: '"a.b"'
- labels:
    level:
    code: status
- structured_metadata:
    trace_id: msg
- timestamp:
    source: ts
    format: RFC3339Nano
- output:
    source: msg
)");
  PipelineEntry e = RunLine(
      p,
      R"({"level":"warn","timestamp":"2024-01-02T03:04:05.5Z","msg":"hi","http":{"status":404},"items":[7],"a.b":"x"})");
  EXPECT_EQ(e.labels.at("level"), "warn");
  EXPECT_EQ(e.labels.at("code"), "404");
  EXPECT_EQ(e.extracted.at("first"), "7");
  EXPECT_EQ(e.extracted.at("dotted"), "x");
  EXPECT_EQ(e.ts_ns, 1704164645500000000);
  EXPECT_EQ(e.line, "hi");
  ASSERT_EQ(e.metadata.size(), 1u);
  EXPECT_EQ(e.metadata[0].first, "trace_id");
}

TEST(PipelineTest, RegexLogfmtStaticDropLabels) {
  CompiledPipeline p = Build(R"(
- regex:
    expression: '^(?P<ip>\S+) (?P<verb>[A-Z]+)'
- logfmt:
    mapping:
      user:
      dur: duration
- labels: {verb: , user: }
- static_labels: {env: prod}
- labeldrop: [drop_me]
)");
  PipelineEntry e = RunLine(p, R"(10.0.0.1 GET user=bob duration="1.5s")", {{"drop_me", "x"}});
  EXPECT_EQ(e.extracted.at("ip"), "10.0.0.1");
  EXPECT_EQ(e.labels.at("verb"), "GET");
  EXPECT_EQ(e.labels.at("user"), "bob");
  EXPECT_EQ(e.extracted.at("dur"), "1.5s");
  EXPECT_EQ(e.labels.at("env"), "prod");
  EXPECT_FALSE(e.labels.contains("drop_me"));
}

TEST(PipelineTest, DropAndMatch) {
  ManualClock clock(1'700'000'000LL * 1000000000);
  CompiledPipeline p = Build(R"(
- drop:
    expression: healthz
    drop_counter_reason: health
- match:
    selector: '{app="api"} |= "debug"'
    action: drop
- match:
    selector: '{app=~"api|web"}'
    stages:
      - static_labels: {matched: "yes"}
- drop:
    older_than: 1h
- drop:
    longer_than: 20
)",
                             ".", &clock);
  const int64_t now = clock.NowNanos();
  EXPECT_EQ(RunLine(p, "GET /healthz", {}, now).drop_reason, "health");
  EXPECT_TRUE(RunLine(p, "a debug line", {{"app", "api"}}, now).dropped);
  EXPECT_FALSE(RunLine(p, "a debug line", {{"app", "web"}}, now).dropped);
  PipelineEntry kept = RunLine(p, "info", {{"app", "web"}}, now);
  EXPECT_EQ(kept.labels.at("matched"), "yes");
  PipelineEntry old;
  old.line = "x";
  old.ts_ns = 1;  // far older than 1h before the clock
  p.pipeline->Process(&old);
  EXPECT_TRUE(old.dropped);
  PipelineEntry fresh;
  fresh.line = "x";
  fresh.ts_ns = clock.NowNanos();
  p.pipeline->Process(&fresh);
  EXPECT_FALSE(fresh.dropped);
  fresh.line = std::string(30, 'x');
  fresh.dropped = false;
  p.pipeline->Process(&fresh);
  EXPECT_TRUE(fresh.dropped);
}

TEST(PipelineTest, TenantStage) {
  CompiledPipeline p = Build(R"(
- json: {expressions: {t: tenant}}
- tenant: {source: t}
)");
  EXPECT_EQ(RunLine(p, R"({"tenant":"acme"})").tenant, "acme");
  EXPECT_EQ(RunLine(p, R"({"x":1})").tenant, "");
  CompiledPipeline v = Build("- tenant: {value: fixed}\n");
  EXPECT_EQ(RunLine(v, "x").tenant, "fixed");
}

TEST(PipelineTest, DecoderAndMultilineSettings) {
  CompiledPipeline p = Build(R"(
- cri: {max_partial_lines: 5}
- multiline:
    firstline: '^\d{4}-'
    max_wait_time: 2s
)");
  EXPECT_EQ(p.format, LineFormat::kCri);
  EXPECT_EQ(p.cri_max_partial_lines, 5);
  ASSERT_TRUE(p.multiline.has_value());
  EXPECT_EQ(p.multiline->max_wait_ns, 2000000000);
  PipelineBuildOptions o;
  EXPECT_THAT(
      BuildPipeline(YAML::Load("- json: {expressions: {a: a}}\n- docker: {}\n"), o).status(),
      StatusIs(StatusCode::kInvalidArgument, "must be the first stage"));
  EXPECT_THAT(
      BuildPipeline(YAML::Load("- json: {expressions: {a: 'a | length(@)'}}\n"), o).status(),
      StatusIs(StatusCode::kInvalidArgument, "unsupported JMESPath"));
  EXPECT_THAT(BuildPipeline(YAML::Load("- frobnicate: {}\n"), o).status(),
              StatusIs(StatusCode::kInvalidArgument, "unknown pipeline stage"));
  EXPECT_THAT(BuildPipeline(YAML::Load("- regex: {expression: '('}\n"), o).status(),
              StatusIs(StatusCode::kInvalidArgument, "bad regex"));
}

TEST(MultilineTest, JoinsBlocksAndFlushesOnTimeout) {
  CompiledPipeline p = Build("- multiline: {firstline: '^START', max_wait_time: 1s}\n");
  MultilineJoiner j(*p.multiline);
  std::vector<DecodedLine> out;
  j.Feed(DecodedLine{"START a", 0, "", 0, 8}, 0, &out);
  j.Feed(DecodedLine{"  more", 0, "", 8, 15}, 0, &out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(*j.PendingStart(), 0u);
  j.Feed(DecodedLine{"START b", 0, "", 15, 23}, 10, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "START a\n  more");
  EXPECT_EQ(out[0].end_offset, 15u);
  j.FlushIfDue(500'000'000, &out);
  EXPECT_EQ(out.size(), 1u);
  j.FlushIfDue(2'000'000'000, &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].text, "START b");
}

TEST(TimestampTest, Formats) {
  EXPECT_EQ(*ParseTimestampWithFormat("1704164645", "Unix", 0), 1704164645000000000);
  EXPECT_EQ(*ParseTimestampWithFormat("1704164645.25", "Unix", 0), 1704164645250000000);
  EXPECT_EQ(*ParseTimestampWithFormat("1704164645123", "UnixMs", 0), 1704164645123000000);
  EXPECT_EQ(*ParseTimestampWithFormat("1704164645123456789", "UnixNs", 0), 1704164645123456789);
  EXPECT_EQ(*ParseTimestampWithFormat("2024-01-02 03:04:05.123", "2006-01-02 15:04:05.000", 0),
            1704164645123000000);
  EXPECT_EQ(
      *ParseTimestampWithFormat("02/Jan/2024:03:04:05 +0100", "02/Jan/2006:15:04:05 -0700", 0),
      1704164645000000000 - 3600000000000);
  EXPECT_EQ(*ParseTimestampWithFormat("Tue, 02 Jan 2024 03:04:05 GMT", "RFC1123", 0),
            1704164645000000000);
  EXPECT_FALSE(ParseTimestampWithFormat("2024-13-02", "2006-01-02", 0).ok());
  EXPECT_FALSE(ParseTimestampWithFormat("yesterday", "RFC3339", 0).ok());
}

TEST(SelectorTest, Parses) {
  Result<Selector> s = ParseSelector(R"({a="x", b!="y", c=~"z.*"} |= "foo" != "bar" |~ "b.z")");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->matchers.size(), 3u);
  EXPECT_EQ(s->filters.size(), 3u);
  PipelineEntry e;
  e.labels = {{"a", "x"}, {"c", "zed"}};
  e.line = "foo baz";
  EXPECT_TRUE(s->Matches(e));
  e.line = "foo bar baz";
  EXPECT_FALSE(s->Matches(e));
  EXPECT_FALSE(ParseSelector("{a=}").ok());
  EXPECT_FALSE(ParseSelector("a=\"b\"").ok());
}

TEST(SchemaStageTest, DropAndQuarantine) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("s.json"), R"({
    "type": "object",
    "required": ["level"],
    "properties": {"span_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}
  })");
  CompiledPipeline drop = Build("- schema: {path: s.json, action: drop}\n", dir.path());
  PipelineEntry ok = RunLine(drop, R"({"level":"info","span_id":"0123456789abcdef"})");
  EXPECT_FALSE(ok.dropped);
  EXPECT_EQ(ok.schema_verdict, 1);
  PipelineEntry bad = RunLine(drop, R"({"span_id":"0123456789abcdef"})");
  EXPECT_TRUE(bad.dropped);
  EXPECT_EQ(bad.drop_reason, "schema");
  EXPECT_EQ(bad.schema_keyword, "required");

  CompiledPipeline q = Build("- schema: {path: s.json, action: quarantine}\n", dir.path());
  PipelineEntry pat = RunLine(q, R"({"level":"info","span_id":"not-a-span"})");
  EXPECT_FALSE(pat.dropped);
  EXPECT_EQ(pat.labels.at("schema_error"), "pattern");
  PipelineEntry text = RunLine(q, "plain text");
  EXPECT_EQ(text.labels.at("schema_error"), "invalid_json");

  PipelineBuildOptions o;
  o.base_dir = dir.path();
  EXPECT_THAT(BuildPipeline(YAML::Load("- schema: {path: missing.json}\n"), o).status(),
              StatusIs(StatusCode::kInvalidArgument, "missing.json: No such file"));
  EXPECT_THAT(BuildPipeline(YAML::Load("- schema: {path: s.json, action: burn}\n"), o).status(),
              StatusIs(StatusCode::kInvalidArgument, "drop or quarantine"));
}

TEST(SchemaStageTest, StrictFormatAsserts) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("s.json"),
                     R"({"properties": {"ts": {"type": "string", "format": "date-time"}}})");
  CompiledPipeline loose = Build("- schema: {path: s.json}\n", dir.path());
  CompiledPipeline strict = Build("- schema: {path: s.json, strict_format: true}\n", dir.path());
  EXPECT_FALSE(RunLine(loose, R"({"ts":"not a date"})").dropped);
  PipelineEntry e = RunLine(strict, R"({"ts":"not a date"})");
  EXPECT_TRUE(e.dropped);
  EXPECT_EQ(e.schema_keyword, "format");
}

}  // namespace
}  // namespace sluice::agent
