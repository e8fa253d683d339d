// The parser guard pushed down into chunk decoding (SelectLogsParams::bare_line_filter): LogQL
// results over Storage, from chunks and heads, must equal those of the unoptimised path (a
// querier that forwards to the same Storage without any pushed-down filter), for lines whose
// required value is escaped, held by a stream label, by structured metadata (also under the
// _extracted name a clash with a stream label gives it), or absent, and for entries that all
// hold unrelated metadata (as ingest's detected_level), where the guard must still apply.
// So must the statistics: lines and bytes processed count what storage dropped as well.
#include <atomic>
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

// Counts the entries storage returns to the engine (shards read on several threads).
class CountingQuerier : public logql::Querier {
 public:
  explicit CountingQuerier(logql::Querier* inner) : inner_(inner) {}

  Result<std::unique_ptr<EntryIterator>> SelectLogs(const logql::SelectLogsParams& p) override {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<EntryIterator> it, inner_->SelectLogs(p));
    return std::unique_ptr<EntryIterator>(std::make_unique<Counting>(std::move(it), &returned));
  }

  std::atomic<int64_t> returned{0};

 private:
  class Counting : public EntryIterator {
   public:
    Counting(std::unique_ptr<EntryIterator> in, std::atomic<int64_t>* n)
        : in_(std::move(in)), n_(n) {}

    bool Next() override {
      if (!in_->Next())
        return false;
      ++*n_;
      return true;
    }

    const Entry& At() const override { return in_->At(); }

    const Labels& StreamLabels() const override { return in_->StreamLabels(); }

    uint64_t StreamHash() const override { return in_->StreamHash(); }

    Status status() const override { return in_->status(); }

   private:
    std::unique_ptr<EntryIterator> in_;
    std::atomic<int64_t>* n_;
  };

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

  logql::QueryResult Exec(logql::Querier* q, const logql::QueryParams& p,
                          const logql::EngineOptions& o) {
    auto r = logql::Engine(q, o).Exec("t", p);
    EXPECT_THAT(r.status(), IsOk()) << p.query;
    return r.ok() ? std::move(*r) : logql::QueryResult{};
  }

  // Runs `p` with and without pushdown: same results, and the same lines and bytes processed
  // (storage's dropped lines count as processed), unless a log query's limit cut the scan
  // short: then storage may have read (and counted) past the last entry the engine looked at.
  // Returns {entries storage returned with pushdown, without}.
  std::pair<int64_t, int64_t> ExpectSame(const logql::QueryParams& p, bool limit_cuts = false,
                                         const logql::EngineOptions& o = {}) {
    CountingQuerier fast_q(storage_.get());
    NoPushdownQuerier plain(storage_.get());
    CountingQuerier slow_q(&plain);
    logql::QueryResult fast = Exec(&fast_q, p, o);
    logql::QueryResult slow = Exec(&slow_q, p, o);
    EXPECT_EQ(fast.type, slow.type) << p.query;
    EXPECT_EQ(Render(fast), Render(slow)) << p.query;
    EXPECT_FALSE(Render(slow).empty()) << p.query;
    // Without pushdown the engine processes exactly what storage returns.
    EXPECT_EQ(slow.stats.lines_processed, slow_q.returned.load()) << p.query;
    if (limit_cuts) {
      EXPECT_GE(fast.stats.lines_processed, slow.stats.lines_processed) << p.query;
      EXPECT_GE(fast.stats.bytes_processed, slow.stats.bytes_processed) << p.query;
    } else {
      EXPECT_EQ(fast.stats.lines_processed, slow.stats.lines_processed) << p.query;
      EXPECT_EQ(fast.stats.bytes_processed, slow.stats.bytes_processed) << p.query;
    }
    EXPECT_GT(slow.stats.bytes_processed, slow.stats.lines_processed) << p.query;
    // What the pipeline kept does not depend on where lines were dropped.
    EXPECT_EQ(fast.stats.post_filter_lines, slow.stats.post_filter_lines) << p.query;
    EXPECT_LE(slow.stats.post_filter_lines, slow.stats.lines_processed) << p.query;
    return {fast_q.returned.load(), slow_q.returned.load()};
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
    // Plain line filters (line_filter only).
    std::tie(fast, slow) = ExpectSame(Instant(R"(sum(count_over_time({app=~".+"} |= "x" [1h])))"));
    EXPECT_LT(fast, slow) << "the line filter was not pushed down into storage";
    ExpectSame(Instant(R"(sum by (app) (bytes_over_time({app=~".+"} != "msg" [1h])))"));
    // Range queries, also cut into time shards scanned in parallel.
    for (const char* q : {R"(count_over_time({app=~".+"} | json | level="error" [5s]))",
                          R"(sum by (app) (count_over_time({app=~".+"} |= "error" [5s])))"}) {
      logql::QueryParams range = Instant(q);
      range.instant = false;
      range.start_ns = base_;
      range.end_ns = base_ + 40 * kSec;
      range.step_ns = 3 * kSec;
      ExpectSame(range);
      logql::EngineOptions sharded;
      sharded.parallelism = 3;
      sharded.min_shard_span_ns = kSec;
      ExpectSame(range, false, sharded);
    }
    // Log queries in both directions, with a limit cutting through.
    for (Direction d : {Direction::kForward, Direction::kBackward}) {
      for (const char* q : {R"({app=~".+"} | json | level="error")", R"({app=~".+"} |= "d")"}) {
        for (uint32_t limit : {7u, 1000u}) {
          logql::QueryParams logs;
          logs.query = q;
          logs.start_ns = base_;
          logs.end_ns = base_ + 100 * kSec;
          logs.direction = d;
          logs.limit = limit;
          ExpectSame(logs, limit == 7);
        }
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
