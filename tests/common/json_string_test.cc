#include "common/json_string.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

std::string Escaped(std::string_view s) {
  std::string out;
  AppendJsonEscaped(s, &out);
  return out;
}

TEST(JsonStringTest, EscapesLikeGo) {
  EXPECT_EQ(Escaped("plain text"), "plain text");
  EXPECT_EQ(Escaped("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(Escaped("l1\nl2\r\t"), "l1\\nl2\\r\\t");
  EXPECT_EQ(Escaped(std::string_view("\x01\x1f\0", 3)), "\\u0001\\u001f\\u0000");
  EXPECT_EQ(Escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(Escaped("\xe2\x80\xa8"), "\\u2028");
}

TEST(JsonStringTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(Escaped("a\xff"
                    "b"),
            "a\\ufffdb");
  EXPECT_EQ(Escaped("\xc3"), "\\ufffd");                        // truncated sequence
  EXPECT_EQ(Escaped("\xc0\xaf"), "\\ufffd\\ufffd");             // overlong
  EXPECT_EQ(Escaped("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");  // surrogate
}

TEST(JsonStringTest, QuotedWrapsTheEscapedText) {
  std::string out;
  AppendJsonQuoted("say \"hi\"\n", &out);
  EXPECT_EQ(out, "\"say \\\"hi\\\"\\n\"");
}

TEST(JsonStringTest, Utf8SequenceLengths) {
  EXPECT_EQ(ValidUtf8SequenceLength("\xc3\xa9", 0), 2u);
  EXPECT_EQ(ValidUtf8SequenceLength("\xe2\x82\xac", 0), 3u);
  EXPECT_EQ(ValidUtf8SequenceLength("\xf0\x9f\x98\x80", 0), 4u);
  EXPECT_EQ(ValidUtf8SequenceLength("\x80", 0), 0u);              // stray continuation
  EXPECT_EQ(ValidUtf8SequenceLength("\xf4\x90\x80\x80", 0), 0u);  // > U+10FFFF
}

}  // namespace
}  // namespace sluice
