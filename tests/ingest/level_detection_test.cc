#include "ingest/level_detection.h"

#include <gtest/gtest.h>

namespace sluice::ingest {
namespace {

std::string Detect(std::string_view line, Labels labels = {}, std::vector<Label> md = {}) {
  return DetectLevel(labels, md, line);
}

TEST(LevelDetectionTest, LabelThenMetadataWinOverTheLine) {
  EXPECT_EQ(Detect("ERROR x", Labels::FromPairs({{"level", "WRN"}})), "warn");
  EXPECT_EQ(Detect("ERROR x", Labels::FromPairs({{"lvl", "notice"}})), "notice");
  EXPECT_EQ(Detect("ERROR x", {}, {{"severity", "Information"}}), "info");
  EXPECT_EQ(Detect("x", {}, {{"detected_level", "info"}}), "");
}

TEST(LevelDetectionTest, EveryLevelWordInAnyCase) {
  const std::pair<const char*, const char*> words[] = {
      {"trc", "trace"},   {"TRACE", "trace"},       {"Dbg", "debug"},        {"debug", "debug"},
      {"INF", "info"},    {"Info", "info"},         {"information", "info"}, {"wrn", "warn"},
      {"WARN", "warn"},   {"Warning", "warn"},      {"err", "error"},        {"eRRoR", "error"},
      {"FATAL", "fatal"}, {"critical", "critical"}, {"infos", "infos"},      {"in", "in"}};
  for (const auto& [word, level] : words)
    EXPECT_EQ(Detect("x", Labels::FromPairs({{"level", word}})), level) << word;
}

TEST(LevelDetectionTest, OtlpSeverityNumber) {
  EXPECT_EQ(Detect("x", {}, {{"severity_number", "9"}}), "info");
  EXPECT_EQ(Detect("x", {}, {{"severity_number", "17"}}), "error");
  EXPECT_EQ(Detect("x", {}, {{"severity_number", "0"}}), "unknown");
  EXPECT_EQ(Detect("x", {}, {{"severity_number", "nope"}}), "info");
}

TEST(LevelDetectionTest, JsonLines) {
  EXPECT_EQ(Detect(R"({"msg":"error here","level":"debug"})"), "debug");
  EXPECT_EQ(Detect(R"( {"a":{"severity":"FATAL"}} )"), "fatal");
  EXPECT_EQ(Detect(R"({"a":{"level":"dbg"}})"), "debug");
  EXPECT_EQ(Detect(R"({"a":{"b":{"level":"dbg"}}})"), "unknown");      // depth 2 is not searched
  EXPECT_EQ(Detect(R"({"level":"notice","m":"an error"})"), "error");  // falls to keywords
  EXPECT_EQ(Detect(R"({"level":1})"), "unknown");
  EXPECT_EQ(Detect(R"({"level":"info")"), "info");  // not JSON-shaped: logfmt-less keyword scan
}

TEST(LevelDetectionTest, LogfmtLines) {
  EXPECT_EQ(Detect("ts=1 level=warn msg=\"an error\""), "warn");
  EXPECT_EQ(Detect("ts=1 LEVEL=\"ERROR\" msg=x"), "error");
  EXPECT_EQ(Detect("severity=info level=debug"), "debug");  // level outranks severity
  EXPECT_EQ(Detect("a=b msg=\"Fatal crash\""), "fatal");
}

TEST(LevelDetectionTest, Keywords) {
  EXPECT_EQ(DetectLevelFromKeywords("2024 [INFO] started"), "info");
  EXPECT_EQ(DetectLevelFromKeywords("debug: then error"), "debug");
  EXPECT_EQ(DetectLevelFromKeywords("an error then a warning"), "error");
  EXPECT_EQ(DetectLevelFromKeywords("misc:error information"), "unknown");
  EXPECT_EQ(DetectLevelFromKeywords("errors everywhere"), "unknown");
  EXPECT_EQ(DetectLevelFromKeywords("ERR! disk"), "error");
  EXPECT_EQ(DetectLevelFromKeywords(""), "unknown");
}

TEST(LevelDetectionTest, NormalizeExistingLevel) {
  std::vector<Label> md = {{"detected_level", "WARNING"}};
  EXPECT_TRUE(NormalizeExistingLevel(&md));
  EXPECT_EQ(md[0].value, "warn");
  std::vector<Label> none = {{"a", "b"}};
  EXPECT_FALSE(NormalizeExistingLevel(&none));
}

}  // namespace
}  // namespace sluice::ingest
