#include "logql/syntax/lexer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::logql::syntax {
namespace {

using T = TokenType;

std::string Names(std::string_view in) {
  std::string out;
  for (const Token& t : Lex(in)) {
    if (!out.empty())
      out += " ";
    out += TokenName(t);
  }
  return out;
}

TEST(LexerTest, SelectorAndFilters) {
  EXPECT_EQ(Names(R"({foo="bar"} |= "x" != "y" |~ "z" !~ "w" |> "p" !> "q")"),
            "{ IDENTIFIER = STRING } |= STRING != STRING |~ STRING !~ STRING |> STRING !> STRING "
            "$end");
  EXPECT_EQ(Names(R"({a=~"x", b!~"y", c!="z"})"),
            "{ IDENTIFIER =~ STRING , IDENTIFIER !~ STRING , IDENTIFIER != STRING } $end");
}

TEST(LexerTest, FunctionWordsAreKeywordsOnlyBeforeParen) {
  EXPECT_EQ(Names("rate(x)"), "RATE ( IDENTIFIER ) $end");
  EXPECT_EQ(Names("rate = x"), "IDENTIFIER = IDENTIFIER $end");
  EXPECT_EQ(Names("sum by (a) (x)"), "SUM by ( IDENTIFIER ) ( IDENTIFIER ) $end");
  EXPECT_EQ(Names("sum without(a)(x)"), "SUM without ( IDENTIFIER ) ( IDENTIFIER ) $end");
  EXPECT_EQ(Names("count bytes"), "IDENTIFIER IDENTIFIER $end");
  EXPECT_EQ(Names("ip(\"1\") ip"), "ip ( STRING ) IDENTIFIER $end");
  EXPECT_EQ(Names("bytes(x) duration(x) duration_seconds (x)"),
            "BYTES_CONV ( IDENTIFIER ) DURATION_CONV ( IDENTIFIER ) DURATION_SECONDS_CONV ( "
            "IDENTIFIER ) $end");
  EXPECT_EQ(Names("SUM(x) Rate (x)"), "SUM ( IDENTIFIER ) RATE ( IDENTIFIER ) $end");
}

TEST(LexerTest, ReservedWordsAlwaysKeywords) {
  EXPECT_EQ(Names("by on offset bool json JSON Logfmt unwrap or AND unless"),
            "by on offset bool json json logfmt unwrap or and unless $end");
  EXPECT_EQ(Names("group_left group_right ignoring without drop keep decolorize"),
            "group_left group_right ignoring without drop keep decolorize $end");
}

TEST(LexerTest, DurationsBytesNumbers) {
  auto toks = Lex("5m 1h30m 1.5s 300ms 10 1e3 .5 1KB 20MiB 1M -5m 5 1d 2w");
  ASSERT_EQ(toks.size(), 15u);
  EXPECT_EQ(toks[0].type, T::kDuration);
  EXPECT_EQ(toks[0].duration_ns, 300'000'000'000);
  EXPECT_EQ(toks[1].duration_ns, 5400'000'000'000);
  EXPECT_EQ(toks[2].duration_ns, 1'500'000'000);
  EXPECT_EQ(toks[3].duration_ns, 300'000'000);
  EXPECT_EQ(toks[4].type, T::kNumber);
  EXPECT_EQ(toks[4].text, "10");
  EXPECT_EQ(toks[5].type, T::kNumber);
  EXPECT_EQ(toks[6].type, T::kNumber);
  EXPECT_EQ(toks[7].type, T::kBytes);
  EXPECT_EQ(toks[7].bytes, 1000u);
  EXPECT_EQ(toks[8].bytes, 20u * 1024 * 1024);
  EXPECT_EQ(toks[9].bytes, 1'000'000u);
  EXPECT_EQ(toks[10].type, T::kDuration);
  EXPECT_EQ(toks[10].duration_ns, -300'000'000'000);
  EXPECT_EQ(toks[11].type, T::kNumber);
  EXPECT_EQ(toks[12].duration_ns, 86400'000'000'000);
  EXPECT_EQ(toks[13].duration_ns, 14 * 86400'000'000'000);
  // `10mb` is the duration 10m followed by the identifier b.
  EXPECT_EQ(Names("10mb"), "DURATION IDENTIFIER $end");
  EXPECT_EQ(Names("5 - 3"), "NUMBER - NUMBER $end");
}

TEST(LexerTest, Ranges) {
  auto toks = Lex("[5m] [1h30m]");
  EXPECT_EQ(toks[0].type, T::kRange);
  EXPECT_EQ(toks[0].duration_ns, 300'000'000'000);
  EXPECT_EQ(toks[0].line, 0);  // Loki reports no line for ranges
  EXPECT_EQ(toks[0].col, 1);
  EXPECT_EQ(toks[1].duration_ns, 5400'000'000'000);
  auto bad = Lex("[5minutes]");
  EXPECT_EQ(bad[0].type, T::kError);
  EXPECT_EQ(bad[0].text, R"(unknown unit "minutes" in duration "5minutes")");
  EXPECT_EQ(Lex("[5")[0].text, "missing closing ']' in duration");
  EXPECT_EQ(Lex("[30m1h]")[0].text, R"(not a valid duration string: "30m1h")");
  EXPECT_EQ(Lex("[1.5h]")[0].type, T::kError);
}

TEST(LexerTest, Strings) {
  auto toks = Lex(R"("a\"b\\c\n\t\x41\u00e9\101" `raw\d` "日本")");
  ASSERT_EQ(toks[0].type, T::kString);
  EXPECT_EQ(toks[0].text,
            "a\"b\\c\n\tA\xc3\xa9"
            "A");
  EXPECT_EQ(toks[1].text, "raw\\d");
  EXPECT_EQ(toks[2].text, "日本");
  EXPECT_EQ(Lex(R"("\d")")[0].text, "invalid char escape");
  EXPECT_EQ(Lex("\"abc")[0].text, "literal not terminated");
  EXPECT_EQ(Lex("\"a\nb\"")[0].text, "literal not terminated");
  EXPECT_EQ(Lex("`abc")[0].text, "literal not terminated");
  EXPECT_EQ(Lex("\"\xa0\xa1\"")[0].text, "invalid UTF-8 encoding");
  auto multi = Lex("`a\nb`");
  EXPECT_EQ(multi[0].text, "a\nb");
  // Single quotes are Go char literals, which the grammar sees as identifiers.
  EXPECT_EQ(Names("'a'"), "IDENTIFIER $end");
}

TEST(LexerTest, CommentsAndFlags) {
  EXPECT_EQ(Names("{a=\"b\"} # comment |= \"x\"\n| json"), "{ IDENTIFIER = STRING } | json $end");
  EXPECT_EQ(Names("x // c\n y /* z */ w"), "IDENTIFIER IDENTIFIER IDENTIFIER $end");
  EXPECT_EQ(Names("| logfmt --strict --keep-empty"), "| logfmt FUNCTION_FLAG FUNCTION_FLAG $end");
  EXPECT_EQ(Lex("/* open")[0].text, "comment not terminated");
}

TEST(LexerTest, Positions) {
  auto toks = Lex("{a=\"b\"}\n  |= \"x\"");
  EXPECT_EQ(toks[0].line, 1);
  EXPECT_EQ(toks[0].col, 1);
  EXPECT_EQ(toks[2].line, 1);
  EXPECT_EQ(toks[2].col, 3);
  EXPECT_EQ(toks[5].type, T::kPipeExact);
  EXPECT_EQ(toks[5].line, 0);  // two-char operators are completed char by char in Loki
  EXPECT_EQ(toks[5].col, 3);
  EXPECT_EQ(toks[6].line, 2);
  EXPECT_EQ(toks[6].col, 6);
  EXPECT_EQ(toks.back().line, 2);
  EXPECT_EQ(toks.back().col, 9);
}

TEST(LexerTest, OddCharactersAreIdentifiers) {
  EXPECT_EQ(Names("! : @"), "IDENTIFIER IDENTIFIER IDENTIFIER $end");
  EXPECT_EQ(Lex("0x10")[0].type, T::kNumber);
  EXPECT_EQ(Lex("08")[0].text, "invalid digit '8' in octal literal");
}

TEST(LexerTest, HelperParsers) {
  uint64_t b = 0;
  EXPECT_TRUE(ParseHumanBytes("5 MB", &b));
  EXPECT_EQ(b, 5'000'000u);
  EXPECT_TRUE(ParseHumanBytes("1.5KiB", &b));
  EXPECT_EQ(b, 1536u);
  EXPECT_TRUE(ParseHumanBytes("42", &b));
  EXPECT_EQ(b, 42u);
  EXPECT_FALSE(ParseHumanBytes("5 XB", &b));
  int64_t ns = 0;
  std::string err;
  EXPECT_TRUE(ParsePrometheusDuration("1y", &ns, &err));
  EXPECT_EQ(ns, 365LL * 86400 * 1'000'000'000);
  EXPECT_FALSE(ParsePrometheusDuration("", &ns, &err));
  EXPECT_EQ(err, "empty duration string");
}

}  // namespace
}  // namespace sluice::logql::syntax
