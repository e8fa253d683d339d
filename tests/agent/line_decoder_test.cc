#include "agent/line_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::agent {
namespace {

using ::testing::ElementsAre;

std::vector<DecodedLine> FeedAll(LineDecoder* d, const std::vector<std::string>& lines) {
  std::vector<DecodedLine> out;
  uint64_t off = 0;
  for (const std::string& l : lines) {
    d->Feed(l, off, off + l.size() + 1, &out);
    off += l.size() + 1;
  }
  return out;
}

std::vector<std::string> Texts(const std::vector<DecodedLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines)
    out.push_back(l.text);
  return out;
}

TEST(DockerDecoderTest, JoinsPartialLinesPerStream) {
  LineDecoder d(LineFormat::kDocker, DecoderLimits{});
  std::vector<std::string> in = {
      R"({"log":"part one ","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"})",
      R"({"log":"err line\n","stream":"stderr","time":"2024-01-02T03:04:06Z"})",
      R"({"log":"part two\n","stream":"stdout","time":"2024-01-02T03:04:07Z"})",
      R"({"log":"whole\n","stream":"stdout","time":"2024-01-02T03:04:08Z"})",
  };
  std::vector<DecodedLine> out = FeedAll(&d, in);
  ASSERT_THAT(Texts(out), ElementsAre("err line", "part one part two", "whole"));
  EXPECT_EQ(out[1].stream, "stdout");
  EXPECT_EQ(out[1].ts_ns, 1704164645123456789);  // the time of the first part
  EXPECT_EQ(out[1].start_offset, 0u);            // acknowledged from the first part
  EXPECT_EQ(out[0].stream, "stderr");
  EXPECT_FALSE(d.PendingStart().has_value());
}

TEST(DockerDecoderTest, PendingStartHoldsTheFirstPartOffset) {
  LineDecoder d(LineFormat::kDocker, DecoderLimits{});
  std::vector<DecodedLine> out;
  d.Feed(R"({"log":"a","stream":"stdout","time":"2024-01-02T03:04:05Z"})", 100, 160, &out);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(d.PendingStart().has_value());
  EXPECT_EQ(*d.PendingStart(), 100u);
  d.Flush(&out);
  ASSERT_THAT(Texts(out), ElementsAre("a"));
}

TEST(DockerDecoderTest, MalformedLinesPassThroughRaw) {
  LineDecoder d(LineFormat::kDocker, DecoderLimits{});
  std::vector<DecodedLine> out = FeedAll(&d, {"not json", R"({"nolog":1})"});
  EXPECT_THAT(Texts(out), ElementsAre("not json", R"({"nolog":1})"));
  EXPECT_EQ(d.malformed(), 2u);
}

TEST(DockerDecoderTest, UnescapesLog) {
  LineDecoder d(LineFormat::kDocker, DecoderLimits{});
  auto out = FeedAll(&d, {R"({"log":"a \"q\" \u00e9\ttab\n","stream":"stdout","time":"x"})"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "a \"q\" \xc3\xa9\ttab");
  EXPECT_EQ(out[0].ts_ns, 0);  // unparsable time: none
}

TEST(DockerDecoderTest, JoinedLineIsCappedByMaxJoinedBytes) {
  DecoderLimits limits;
  limits.max_joined_bytes = 10;
  LineDecoder d(LineFormat::kDocker, limits);
  auto out =
      FeedAll(&d, {R"({"log":"123456","stream":"stdout"})", R"({"log":"789012","stream":"stdout"})",
                   R"({"log":"end\n","stream":"stdout"})"});
  EXPECT_THAT(Texts(out), ElementsAre("123456789012", "end"));
}

TEST(CriDecoderTest, JoinsPartsUntilFull) {
  LineDecoder d(LineFormat::kCri, DecoderLimits{});
  auto out = FeedAll(&d, {
                             "2024-01-02T03:04:05.000000001Z stdout P hello ",
                             "2024-01-02T03:04:05.5Z stderr F oops",
                             "2024-01-02T03:04:06Z stdout P big ",
                             "2024-01-02T03:04:07Z stdout F world",
                             "2024-01-02T03:04:08+01:00 stdout F tz",
                         });
  ASSERT_THAT(Texts(out), ElementsAre("oops", "hello big world", "tz"));
  EXPECT_EQ(out[1].ts_ns, 1704164645000000001);
  EXPECT_EQ(out[1].stream, "stdout");
  EXPECT_EQ(out[2].ts_ns, 1704164648LL * 1000000000 - 3600LL * 1000000000);
}

TEST(CriDecoderTest, MaxPartialLinesEmits) {
  DecoderLimits limits;
  limits.max_partial_lines = 2;
  LineDecoder d(LineFormat::kCri, limits);
  auto out = FeedAll(&d, {"2024-01-02T03:04:05Z stdout P a", "2024-01-02T03:04:05Z stdout P b",
                          "2024-01-02T03:04:05Z stdout F c"});
  EXPECT_THAT(Texts(out), ElementsAre("ab", "c"));
}

TEST(CriDecoderTest, ParseRejectsBadLines) {
  EXPECT_FALSE(ParseCriLine("no spaces").ok());
  EXPECT_FALSE(ParseCriLine("2024-01-02T03:04:05Z stdin F x").ok());
  EXPECT_FALSE(ParseCriLine("2024-01-02T03:04:05Z stdout X x").ok());
  EXPECT_FALSE(ParseCriLine("yesterday stdout F x").ok());
  Result<CriRecord> empty = ParseCriLine("2024-01-02T03:04:05Z stdout F");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->message, "");
}

TEST(AutoDecoderTest, DetectsEachFormat) {
  LineDecoder docker(LineFormat::kAuto, DecoderLimits{});
  FeedAll(&docker, {R"({"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05Z"})"});
  EXPECT_EQ(docker.format(), LineFormat::kDocker);
  LineDecoder cri(LineFormat::kAuto, DecoderLimits{});
  FeedAll(&cri, {"2024-01-02T03:04:05Z stdout F x"});
  EXPECT_EQ(cri.format(), LineFormat::kCri);
  LineDecoder raw(LineFormat::kAuto, DecoderLimits{});
  auto out = FeedAll(&raw, {R"({"level":"info","msg":"json app log"})", "second"});
  EXPECT_EQ(raw.format(), LineFormat::kRaw);
  EXPECT_THAT(Texts(out), ElementsAre(R"({"level":"info","msg":"json app log"})", "second"));
}

TEST(RawDecoderTest, StripsCarriageReturn) {
  LineDecoder d(LineFormat::kRaw, DecoderLimits{});
  auto out = FeedAll(&d, {"dos line\r"});
  EXPECT_THAT(Texts(out), ElementsAre("dos line"));
}

}  // namespace
}  // namespace sluice::agent
