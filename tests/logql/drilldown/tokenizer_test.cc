#include "logql/drilldown/tokenizer.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::logql::drilldown {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Tokens(LineTokenizer& t, std::string_view line, TokenizedLine* tl) {
  EXPECT_TRUE(t.Tokenize(line, tl));
  return {tl->tokens.begin(), tl->tokens.end()};
}

TEST(TokenizerTest, FormatDetection) {
  EXPECT_EQ(DetectLogFormat(R"({"msg":"x"})"), LineFormat::kJson);
  EXPECT_EQ(DetectLogFormat(R"(level=info msg="hello world" n=1)"), LineFormat::kLogfmt);
  EXPECT_EQ(DetectLogFormat("GET /index.html 200"), LineFormat::kUnknown);
  EXPECT_EQ(DetectLogFormat("level=info and some text"), LineFormat::kUnknown);
  EXPECT_EQ(DetectLogFormat("x"), LineFormat::kUnknown);
}

TEST(TokenizerTest, PunctuationSplitsAndJoinRestoresSpaces) {
  auto t = NewLineTokenizer(LineFormat::kUnknown, "<_>", 3000);
  TokenizedLine tl;
  EXPECT_THAT(Tokens(*t, "GET /api/v1 status=200 (took 5.2ms), user@x", &tl),
              ElementsAre("GET", "/api/v1", "status", "=", "200", "(", "took", "5.2ms", ")", ",",
                          "user", "@", "x"));
  std::vector<std::string> owned(tl.tokens.begin(), tl.tokens.end());
  EXPECT_EQ(t->Join(owned, tl.spaces_after), "GET /api/v1 status=200 (took 5.2ms), user@x");
  // Symbols such as $ + | stay inside tokens; double spaces survive a round trip.
  EXPECT_THAT(Tokens(*t, "a$b  c|d", &tl), ElementsAre("a$b", "c|d"));
  owned.assign(tl.tokens.begin(), tl.tokens.end());
  EXPECT_EQ(t->Join(owned, tl.spaces_after), "a$b  c|d");
}

TEST(TokenizerTest, PunctuationSkipsLongLines) {
  auto t = NewLineTokenizer(LineFormat::kUnknown, "<_>", 10);
  TokenizedLine tl;
  EXPECT_FALSE(t->Tokenize("this line is longer than ten bytes", &tl));
}

TEST(TokenizerTest, LogfmtReplacesVariableKeysAndReencodes) {
  auto t = NewLineTokenizer(LineFormat::kLogfmt, "<_>", 3000);
  TokenizedLine tl;
  EXPECT_THAT(Tokens(*t, R"(ts=2024-01-01T00:00:00Z level=info msg="hello world" TIME=5)", &tl),
              ElementsAre("ts", "<_>", "level", "info", "msg", "hello world", "TIME", "<_>"));
  std::vector<std::string> owned(tl.tokens.begin(), tl.tokens.end());
  EXPECT_EQ(t->Join(owned, tl.spaces_after), R"(ts=<_> level=info msg="hello world" TIME=<_>)");
  EXPECT_FALSE(t->Tokenize(R"(a="unterminated)", &tl));
}

TEST(TokenizerTest, JsonTokenizesTheMessageMember) {
  auto t = NewLineTokenizer(LineFormat::kJson, "<_>", 3000);
  TokenizedLine tl;
  EXPECT_THAT(Tokens(*t, R"({"level":"info","content":"other","msg":"user 42 logged in"})", &tl),
              ElementsAre("user", "42", "logged", "in"));
  std::vector<std::string> owned(tl.tokens.begin(), tl.tokens.end());
  EXPECT_EQ(t->Join(owned, tl.spaces_after), "<_>user 42 logged in<_>");
  EXPECT_FALSE(t->Tokenize(R"({"level":"info"})", &tl));
  EXPECT_FALSE(t->Tokenize(R"({"msg":5})", &tl));
  EXPECT_FALSE(t->Tokenize("{not json}", &tl));
}

TEST(TokenizerTest, DeduplicatePlaceholders) {
  EXPECT_EQ(DeduplicatePlaceholders("a <_><_><_> b <_>", "<_>"), "a <_> b <_>");
  EXPECT_EQ(DeduplicatePlaceholders("<_><_>", "<_>"), "<_>");
  EXPECT_EQ(DeduplicatePlaceholders("plain", "<_>"), "plain");
}

}  // namespace
}  // namespace sluice::logql::drilldown
