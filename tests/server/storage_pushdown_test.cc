// The parser guard pushed down into chunk decoding (SelectLogsParams::bare_line_filter): LogQL
// results over Storage, from chunks and heads, must equal those of the unoptimised path (a
// querier that forwards to the same Storage without any pushed-down filter), for lines whose
// required value is escaped, held by a stream label, by structured metadata (also under the
// _extracted name a clash with a stream label gives it), or absent, and for entries that all
// hold unrelated metadata (as ingest's detected_level), where the guard must still apply.
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "logql/engine.h"
#include "server/storage.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;

constexpr int64_t kSec = 1'000'000'000;

// The unoptimised path: no line filter of any kind reaches storage.
class NoPushdownQuerier : public logql::Querier {
 public:
  explicit NoPushdownQuerier(logql::Querier* inner) : inner_(inner) {}

  Result<std::unique_ptr<EntryIterator>> SelectLogs(const logql::SelectLogsParams& p) override {
    logql::SelectLogsParams plain = p;
    plain.line_filter = nullptr;
    plain.bare_line_filter = nullptr;
    return inner_->SelectLogs(plain);
  }

 private:
  logql::Querier* inner_;
};

std::string Render(const logql::QueryResult& r) {
  std::string out;
  for (const auto& s : r.series) {
    out += s.labels.ToString() + ":";
    for (const auto& p : s.points)
      out += " " + std::to_string(p.timestamp_ns) + "=" + std::to_string(p.value);
    out += "\n";
  }
  for (const auto& s : r.streams) {
    out += s.labels.ToString() + " " + s.stream_labels.ToString() + ":\n";
    for (const auto& e : s.entries) {
      out += "  " + std::to_string(e.timestamp_ns) + " " + e.line +
             " md=" + Labels(e.structured_metadata).ToString() +
             " parsed=" + Labels(e.parsed).ToString() + "\n";
    }
  }
  return out;
}

class StoragePushdownTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    StorageOptions o;
    o.dir = dir_.path();
    o.store.background_flush = false;
    auto s = Storage::Open(std::move(o));
    ASSERT_THAT(s, IsOk());
    storage_ = std::move(*s);
  }

  // Appends one entry of every kind per stream at second `i` after base_.
  void AppendRound(int i) {
    const int64_t t = base_ + i * kSec;
    auto entry = [&](int k, std::string line, std::vector<Label> md = {}) {
      return OwnedEntry{t + k, std::move(line), std::move(md)};
    };
    const std::string n = std::to_string(i);
    ingest::PushStream json;
    json.labels = Labels::FromPairs({{"app", "j"}});
    json.entries = {
        entry(0, R"({"level":"error","msg":"a)" + n + R"("})"),
        entry(1, R"({"level":"err\u006fr","msg":"escaped"})"),  // no "error" bytes
        entry(2, R"({"level":"info","msg":"error in msg"})"),
        entry(3, R"({"level":"info","msg":"b"})"),
        entry(4, R"({"msg":"only metadata"})", {Label{"level", "error"}}),
        entry(5, R"({"msg":"other metadata"})", {Label{"trace", "t" + n}}),
        entry(6, R"({"level":"warn","msg":"x"})", {Label{"level", "info"}}),
    };
    ingest::PushStream leveled;  // the stream label satisfies level="error" on every line
    leveled.labels = Labels::FromPairs({{"app", "s"}, {"level", "error"}});
    leveled.entries = {entry(0, R"({"level":"info","msg":"s)" + n + R"("})"),
                       entry(1, R"({"msg":"x"})")};
    ingest::PushStream logfmt;
    logfmt.labels = Labels::FromPairs({{"app", "l"}});
    logfmt.entries = {entry(0, "level=error msg=\"disk full\""),
                      entry(1, R"(level=info msg="say \"error\"")"),
                      entry(2, "level=info msg=plain")};
    ingest::PushStream detected;  // every entry holds metadata, as after ingest's level detection
    detected.labels = Labels::FromPairs({{"app", "d"}});
    detected.entries = {
        entry(0, R"({"level":"error","msg":"d)" + n + R"("})", {Label{"detected_level", "error"}}),
        entry(1, R"({"level":"info","msg":"d"})", {Label{"detected_level", "info"}}),
        entry(2, R"({"level":"info","msg":"d"})", {Label{"detected_level", "error"}}),
        entry(3, R"({"msg":"m"})", {Label{"detected_level", "info"}, Label{"level", "error"}}),
        entry(4, R"({"msg":"m"})", {Label{"lev", "error"}}),
    };
    ingest::PushStream clash;  // metadata `level` becomes level_extracted beside the stream label
    clash.labels = Labels::FromPairs({{"app", "x"}, {"level", "warn"}});
    clash.entries = {entry(0, R"({"msg":"x)" + n + R"("})", {Label{"level", "error"}}),
                     entry(1, R"({"msg":"y"})", {Label{"detected_level", "error"}}),
                     entry(2, R"({"level":"error"})", {Label{"detected_level", "error"}})};
    ASSERT_THAT(storage_->Append("t", {json, leveled, logfmt, detected, clash}, nullptr), IsOk());
  }

  logql::QueryResult Exec(logql::Querier* q, const logql::QueryParams& p) {
    auto r = logql::Engine(q, logql::EngineOptions{}).Exec("t", p);
    EXPECT_THAT(r.status(), IsOk()) << p.query;
    return r.ok() ? std::move(*r) : logql::QueryResult{};
  }

  // Runs `p` with and without pushdown; returns {lines scanned with, lines scanned without}.
  std::pair<int64_t, int64_t> ExpectSame(const logql::QueryParams& p) {
    NoPushdownQuerier plain(storage_.get());
    logql::QueryResult fast = Exec(storage_.get(), p);
    logql::QueryResult slow = Exec(&plain, p);
    EXPECT_EQ(fast.type, slow.type) << p.query;
    EXPECT_EQ(Render(fast), Render(slow)) << p.query;
    EXPECT_FALSE(Render(slow).empty()) << p.query;
    return {fast.stats.lines_processed, slow.stats.lines_processed};
  }

  logql::QueryParams Instant(const std::string& query) {
    logql::QueryParams p;
    p.query = query;
    p.start_ns = p.end_ns = base_ + 100 * kSec;
    p.instant = true;
    return p;
  }

  void CheckAll() {
    // Instant metric queries over everything.
    auto [fast, slow] = ExpectSame(
        Instant(R"(sum by (level) (count_over_time({app=~".+"} | json | level="error" [1h])))"));
    EXPECT_LT(fast, slow) << "the guard was not pushed down into storage";
    EXPECT_GT(fast, 0);
    // Entries that all hold metadata, none of it a required label: the guard still applies.
    std::tie(fast, slow) =
        ExpectSame(Instant(R"(sum(count_over_time({app="d"} | json | level="error" [1h])))"));
    EXPECT_LT(fast, slow) << "metadata that cannot hold `level` disabled the pushdown";
    EXPECT_GT(fast, 0);
    ExpectSame(Instant(R"(count_over_time({app="x"} | json | level_extracted="error" [1h]))"));
    ExpectSame(Instant(R"(count_over_time({app=~"d|x"} | json | detected_level="error" [1h]))"));
    ExpectSame(Instant(R"(count_over_time({app="d"} | json | lev="error" [1h]))"));
    for (const char* q : {
             R"(count_over_time({app=~".+"} | json | level="error" [1h]))",
             R"(sum by (app, msg) (count_over_time({app=~".+"} | json | level="error" [1h])))",
             R"(sum(bytes_over_time({app=~".+"} |= "a" | json | level="error", msg=~"a.*" [1h])))",
             R"(count_over_time({app="l"} | logfmt | msg="say \"error\"" [1h]))",
             R"(count_over_time({app="l"} | logfmt | level="error" [1h]))",
             R"q(rate({app=~".+"} | regexp "level=(?P<lv>\\w+)" | lv="error" [1h]))q",
             R"(count_over_time({app=~".+"} | json | level="error" or msg="b" [1h]))",
             R"(count_over_time({app=~".+"} != "disk" | json | level="error" | msg!="x" [1h]))",
         }) {
      ExpectSame(Instant(q));
    }
    // A range query and log queries in both directions, with a limit cutting through.
    logql::QueryParams range =
        Instant(R"(count_over_time({app=~".+"} | json | level="error" [5s]))");
    range.instant = false;
    range.start_ns = base_;
    range.end_ns = base_ + 40 * kSec;
    range.step_ns = 3 * kSec;
    ExpectSame(range);
    for (Direction d : {Direction::kForward, Direction::kBackward}) {
      for (uint32_t limit : {7u, 1000u}) {
        logql::QueryParams logs;
        logs.query = R"({app=~".+"} | json | level="error")";
        logs.start_ns = base_;
        logs.end_ns = base_ + 100 * kSec;
        logs.direction = d;
        logs.limit = limit;
        ExpectSame(logs);
      }
    }
  }

  testing::TempDir dir_;  // declared first: outlives storage_
  std::unique_ptr<Storage> storage_;
  int64_t base_ = Clock::Default()->NowNanos() - 600 * kSec;
};

TEST_F(StoragePushdownTest, SameResultsFromChunksAndHeads) {
  for (int i = 0; i < 20; ++i)
    AppendRound(i);
  CheckAll();  // heads only
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();
  Open();
  CheckAll();  // chunks only
  for (int i = 20; i < 30; ++i)
    AppendRound(i);
  CheckAll();  // both
}

}  // namespace
}  // namespace sluice::server
