// Label filter pushdown in front of parsers (log::NewParserGuard, wired by BuildPipeline):
// `| json | level="error"` skips the parse of lines that cannot hold "error". Each case is a
// line the shortcut must NOT drop (escapes, labels from the stream or metadata, `or`, stages in
// between, malformed json that still counts) or must drop, with the expected counts derived
// from the lines written here.
#include <gtest/gtest.h>

#include "logql/engine.h"
#include "memory_querier.h"
#include "testing/status_matchers.h"

namespace sluice::logql::test_util {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

class ParserGuardTest : public ::testing::Test {
 protected:
  // count_over_time(...[1m]) at t = 60 s, summed over all series; -1 on error.
  double Count(const std::string& selector_and_pipeline) {
    QueryParams p;
    p.query = "sum(count_over_time(" + selector_and_pipeline + " [1m]))";
    p.start_ns = p.end_ns = 60 * kSec;
    p.instant = true;
    auto r = Engine(&q_, EngineOptions{}).Exec("fake", p);
    EXPECT_THAT(r.status(), IsOk()) << p.query;
    if (!r.ok() || r->series.empty())
      return r.ok() ? 0 : -1;
    return r->series[0].points[0].value;
  }

  size_t LogCount(const std::string& query) {
    QueryParams p;
    p.query = query;
    p.start_ns = 0;
    p.end_ns = 100 * kSec;
    p.limit = 1000;
    auto r = Engine(&q_, EngineOptions{}).Exec("fake", p);
    EXPECT_THAT(r.status(), IsOk()) << query;
    size_t n = 0;
    if (r.ok()) {
      for (const auto& s : r->streams)
        n += s.entries.size();
    }
    return n;
  }

  MemoryQuerier q_;
  const Labels json_ = Labels::FromPairs({{"app", "j"}});
  const Labels leveled_ = Labels::FromPairs({{"app", "s"}, {"level", "error"}});
  const Labels logfmt_ = Labels::FromPairs({{"app", "l"}});
};

TEST_F(ParserGuardTest, JsonEqualityCountsEscapedAndPlainValues) {
  q_.Add(json_, 1 * kSec, R"({"level":"error","msg":"a"})");
  q_.Add(json_, 2 * kSec, R"({"level":"err\u006fr","msg":"escaped"})");  // no "error" bytes
  q_.Add(json_, 3 * kSec, R"({"level":"info","msg":"error in msg"})");   // has the bytes
  q_.Add(json_, 4 * kSec, R"({"level":"info","msg":"b"})");
  q_.Add(json_, 5 * kSec, R"({"lvl":"error"})");
  EXPECT_EQ(Count(R"({app="j"} | json | level="error")"), 2);
  EXPECT_EQ(Count(R"({app="j"} | json lv="level" | lv="error")"), 2);
  // Several equalities, ANDed within and across stages.
  EXPECT_EQ(Count(R"({app="j"} | json | level="error", msg="a")"), 1);
  EXPECT_EQ(Count(R"({app="j"} | json | level="error" | msg="escaped")"), 1);
  // `or` proves nothing about either side.
  EXPECT_EQ(Count(R"({app="j"} | json | level="error" or msg="b")"), 3);
  // A stage in between may change the labels: no shortcut across it.
  EXPECT_EQ(Count(R"({app="j"} | json | label_format level="error" | level="error")"), 5);
}

TEST_F(ParserGuardTest, LabelFromStreamOrMetadataIsNotTheLines) {
  // The stream has level="error": json's level becomes level_extracted, the filter reads the
  // stream label, so every line passes although none holds "error".
  q_.Add(leveled_, 1 * kSec, R"({"level":"info"})");
  q_.Add(leveled_, 2 * kSec, R"({"level":"warn"})");
  EXPECT_EQ(Count(R"({app="s"} | json | level="error")"), 2);
  EXPECT_EQ(Count(R"({app="s"} | json | level_extracted="info")"), 1);
  // Structured metadata named like the filter label.
  q_.Add(json_, 3 * kSec, R"({"msg":"x"})", {Label{"level", "error"}});
  q_.Add(json_, 4 * kSec, R"({"msg":"y"})", {Label{"level", "info"}});
  EXPECT_EQ(Count(R"({app="j"} | json | level="error")"), 1);
}

TEST_F(ParserGuardTest, MalformedJsonHoldingTheValueStillFailsTheQuery) {
  // simdjson finds the bad literal only when the walk reaches it, after level is set.
  q_.Add(json_, 1 * kSec, R"({"level":"error","ok":tru})");
  q_.Add(json_, 2 * kSec, R"({"level":"info","ok":tru})");  // dropped by the filter either way
  QueryParams p;
  p.query = R"(count_over_time({app="j"} | json | level="error" [1m]))";
  p.start_ns = p.end_ns = 60 * kSec;
  p.instant = true;
  EXPECT_THAT(Engine(&q_, EngineOptions{}).Exec("fake", p).status(),
              StatusIs(StatusCode::kInvalidArgument, "pipeline error"));
  EXPECT_EQ(Count(R"({app="j"} | json | __error__="" | level="error")"), 0);
}

TEST_F(ParserGuardTest, LogfmtRegexpPatternAndLogQueries) {
  q_.Add(logfmt_, 1 * kSec, R"(level=error msg="disk full")");
  q_.Add(logfmt_, 2 * kSec, R"(level=info msg="say \"hi\"")");
  q_.Add(logfmt_, 3 * kSec, R"(level=info msg=plain)");
  EXPECT_EQ(Count(R"({app="l"} | logfmt | level="error")"), 1);
  // The value only exists unescaped: the backslash in the line forces the parse.
  EXPECT_EQ(Count(R"({app="l"} | logfmt | msg="say \"hi\"")"), 1);
  EXPECT_EQ(Count(R"q({app="l"} | regexp "level=(?P<lv>\\w+)" | lv="info")q"), 2);
  EXPECT_EQ(Count(R"({app="l"} | pattern "level=<lv> <_>" | lv="error")"), 1);
  EXPECT_EQ(LogCount(R"({app="l"} | logfmt | level="info")"), 2u);
  EXPECT_EQ(LogCount(R"({app="l"} | logfmt | level="")"), 0u);
}

}  // namespace
}  // namespace sluice::logql::test_util
