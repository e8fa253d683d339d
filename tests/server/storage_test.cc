// The Storage facade: Appender contract (durable append, rejections mapped back to request
// indices), Querier (index + head streams, line-filter pushdown, merge order), label answers
// before and after a flush, tenant isolation.
#include "server/storage.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;

constexpr int64_t kSec = 1'000'000'000;

class ContainsFilter : public logql::LineFilter {
 public:
  explicit ContainsFilter(std::string s) : s_(std::move(s)) {}

  bool Matches(std::string_view line) const override {
    return line.find(s_) != std::string_view::npos;
  }

 private:
  std::string s_;
};

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-storage-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Open();
  }

  void TearDown() override {
    storage_.reset();
    std::filesystem::remove_all(dir_);
    for (const auto& d : extra_dirs_)
      std::filesystem::remove_all(d);
  }

  std::filesystem::path Dir(const std::string& suffix) {
    extra_dirs_.push_back(dir_.string() + suffix);
    return extra_dirs_.back();
  }

  std::vector<std::filesystem::path> extra_dirs_;

  void Open() { OpenAt(dir_); }

  void OpenAt(const std::filesystem::path& dir, size_t wal_segment_bytes = 4 << 20,
              size_t target_chunk_bytes = 1536 * 1024) {
    StorageOptions o;
    o.dir = dir.string();
    o.store.background_flush = false;
    o.store.wal_segment_bytes = wal_segment_bytes;
    o.store.target_chunk_bytes = target_chunk_bytes;
    o.store.wal_max_segments = 1000;
    auto s = Storage::Open(std::move(o));
    ASSERT_THAT(s, IsOk());
    storage_ = std::move(*s);
  }

  // What a kill -9 leaves: the files as they are now (the Storage is open and idle), copied to
  // `to`, which becomes the data dir. The old Storage then closes into the old dir, unused.
  void CrashTo(const std::filesystem::path& to) {
    std::filesystem::remove_all(to);
    std::filesystem::copy(dir_, to, std::filesystem::copy_options::recursive);
    storage_.reset();
    extra_dirs_.push_back(dir_);
    dir_ = to;
  }

  // Entries and bytes index/stats reports for tenant t, all streams.
  std::pair<uint64_t, uint64_t> IndexCounts() {
    auto st =
        storage_->index()->Stats("t", Eq("job", "j"), base_ - 3600 * kSec, base_ + 100000 * kSec);
    EXPECT_THAT(st, IsOk());
    return {st->entries, st->bytes};
  }

  static ingest::PushStream Stream(Labels labels, std::vector<std::pair<int64_t, std::string>> es) {
    ingest::PushStream s;
    s.labels = std::move(labels);
    for (auto& [ts, line] : es)
      s.entries.push_back(OwnedEntry{ts, line, {}});
    return s;
  }

  std::vector<std::pair<int64_t, std::string>> Select(
      const std::string& tenant, Matchers m, Direction dir,
      std::shared_ptr<const logql::LineFilter> f = {}) {
    logql::SelectLogsParams p;
    p.tenant = tenant;
    p.matchers = std::move(m);
    p.start_ns = base_;
    p.end_ns = base_ + 1000 * kSec;
    p.direction = dir;
    p.line_filter = std::move(f);
    auto it = storage_->SelectLogs(p);
    EXPECT_THAT(it, IsOk());
    std::vector<std::pair<int64_t, std::string>> out;
    while ((*it)->Next())
      out.emplace_back((*it)->At().timestamp_ns, std::string((*it)->At().line));
    EXPECT_THAT((*it)->status(), IsOk());
    return out;
  }

  static Matchers Eq(const std::string& name, const std::string& value) {
    return {*LabelMatcher::Make(MatchType::kEqual, name, value)};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Storage> storage_;
  int64_t base_ = Clock::Default()->NowNanos() - 600 * kSec;
};

TEST_F(StorageTest, AppendThenSelectMergedInBothDirections) {
  Labels a = Labels::FromPairs({{"app", "a"}, {"env", "x"}});
  Labels b = Labels::FromPairs({{"app", "b"}, {"env", "x"}});
  ingest::AppendReport report;
  ASSERT_THAT(storage_->Append("t",
                               {Stream(a, {{base_ + 1, "a1"}, {base_ + 3, "a3"}}),
                                Stream(b, {{base_ + 2, "b2"}, {base_ + 4, "b4 needle"}})},
                               &report),
              IsOk());
  EXPECT_EQ(report.accepted_entries, 4);
  EXPECT_TRUE(report.rejections.empty());
  using V = std::vector<std::pair<int64_t, std::string>>;
  EXPECT_EQ(Select("t", Eq("env", "x"), Direction::kForward),
            (V{{base_ + 1, "a1"}, {base_ + 2, "b2"}, {base_ + 3, "a3"}, {base_ + 4, "b4 needle"}}));
  EXPECT_EQ(Select("t", Eq("env", "x"), Direction::kBackward),
            (V{{base_ + 4, "b4 needle"}, {base_ + 3, "a3"}, {base_ + 2, "b2"}, {base_ + 1, "a1"}}));
  EXPECT_EQ(
      Select("t", Eq("env", "x"), Direction::kForward, std::make_shared<ContainsFilter>("needle")),
      (V{{base_ + 4, "b4 needle"}}));
  EXPECT_EQ(Select("t", Eq("app", "a"), Direction::kForward),
            (V{{base_ + 1, "a1"}, {base_ + 3, "a3"}}));
  EXPECT_TRUE(Select("other", Eq("env", "x"), Direction::kForward).empty());
}

TEST_F(StorageTest, RejectionsAndDuplicatesAreReportedByRequestIndex) {
  Labels a = Labels::FromPairs({{"app", "a"}});
  ASSERT_THAT(storage_->Append("t", {Stream(a, {{base_ + 7200 * kSec, "new"}})}, nullptr), IsOk());
  ingest::AppendReport report;
  ASSERT_THAT(storage_->Append("t",
                               {Stream(Labels::FromPairs({{"app", "b"}}), {{base_, "fine"}}),
                                Stream(a, {{base_ + 7200 * kSec, "new"},  // duplicate
                                           {base_, "two hours behind"},   // beyond 1 h window
                                           {base_ + 7100 * kSec, "in window"}})},
                               &report),
              IsOk());
  EXPECT_EQ(report.accepted_entries, 2);
  EXPECT_EQ(report.duplicates_dropped, 1);
  ASSERT_EQ(report.rejections.size(), 1u);
  EXPECT_EQ(report.rejections[0].stream_index, 1u);
  EXPECT_EQ(report.rejections[0].entry_index, 1u);
  EXPECT_EQ(report.rejections[0].reason, ingest::RejectReason::kTooFarBehind);
  EXPECT_EQ(report.rejections[0].bound_ns, base_ + 3600 * kSec);
}

TEST_F(StorageTest, LabelsAndSeriesBeforeAndAfterFlushAndReopen) {
  ASSERT_THAT(
      storage_->Append("t",
                       {Stream(Labels::FromPairs({{"app", "a"}, {"pod", "p1"}}), {{base_, "x"}}),
                        Stream(Labels::FromPairs({{"app", "b"}}), {{base_, "y"}})},
                       nullptr),
      IsOk());
  auto check = [&] {
    auto names = storage_->LabelNames("t", {}, base_, base_ + kSec);
    ASSERT_THAT(names, IsOk());
    EXPECT_EQ(*names, (std::vector<std::string>{"app", "pod"}));
    auto values = storage_->LabelValues("t", "app", {}, base_, base_ + kSec);
    ASSERT_THAT(values, IsOk());
    EXPECT_EQ(*values, (std::vector<std::string>{"a", "b"}));
    auto filtered = storage_->LabelValues("t", "app", Eq("pod", "p1"), base_, base_ + kSec);
    EXPECT_EQ(*filtered, (std::vector<std::string>{"a"}));
    auto series = storage_->Series("t", Eq("app", "b"), base_, base_ + kSec);
    ASSERT_THAT(series, IsOk());
    ASSERT_EQ(series->size(), 1u);
    EXPECT_EQ((*series)[0].ToString(), R"({app="b"})");
    auto other = storage_->LabelNames("u", {}, base_, base_ + kSec);
    EXPECT_TRUE(other->empty());
    EXPECT_EQ(Select("t", Eq("app", "a"), Direction::kForward).size(), 1u);
  };
  check();
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();
  Open();
  check();
}

// Pushes `batches` appends of `per_batch` entries over three streams (with a duplicate and a
// too-old entry in each append, which must not count), returning the entries and line bytes
// accepted.
std::pair<uint64_t, uint64_t> PushSome(Storage* storage, int64_t base, int batches, int per_batch,
                                       int first_batch = 0) {
  uint64_t entries = 0, bytes = 0;
  for (int b = first_batch; b < first_batch + batches; ++b) {
    std::vector<ingest::PushStream> streams;
    for (int s = 0; s < 3; ++s) {
      ingest::PushStream ps;
      ps.labels = Labels::FromPairs({{"job", "j"}, {"pod", "p" + std::to_string(s)}});
      for (int i = 0; i < per_batch; ++i) {
        int64_t ts = base + (int64_t{b} * per_batch + i) * 1'000'000;
        std::string line = "batch " + std::to_string(b) + " entry " + std::to_string(i) +
                           std::string(static_cast<size_t>(i % 7) * 10, 'x');
        ps.entries.push_back(OwnedEntry{ts, line, {}});
        ++entries;
        bytes += line.size();
      }
      ps.entries.push_back(ps.entries.back());                                  // duplicate
      ps.entries.push_back(OwnedEntry{base - 7200 * kSec, "far too old", {}});  // rejected
      if (s == 2) {
        ps.entries.back() =
            OwnedEntry{ps.entries.front().timestamp_ns, "with metadata", {Label{"trace", "abc"}}};
        ++entries;
        bytes += std::string("with metadata").size() + 5 + 3;
      }
      streams.push_back(std::move(ps));
    }
    ingest::AppendReport report;
    EXPECT_THAT(storage->Append("t", streams, &report), IsOk());
  }
  return {entries, bytes};
}

TEST_F(StorageTest, IndexCountersSurviveACrashWithoutDoubleCounting) {
  auto pushed = PushSome(storage_.get(), base_, 20, 25);
  EXPECT_EQ(IndexCounts(), pushed);
  CrashTo(Dir("-crash1"));  // nothing of the counters was flushed yet
  Open();
  EXPECT_EQ(IndexCounts(), pushed) << "rebuilt from the WAL replay";
  auto more = PushSome(storage_.get(), base_, 5, 10, 20);
  pushed.first += more.first;
  pushed.second += more.second;
  CrashTo(Dir("-crash2"));  // a second crash: the replayed part must not count twice
  Open();
  EXPECT_EQ(IndexCounts(), pushed);
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();
  Open();  // a clean restart replays nothing new
  EXPECT_EQ(IndexCounts(), pushed);
}

TEST_F(StorageTest, IndexCountersSurviveACrashAfterWalSegmentsWereDeleted) {
  storage_.reset();
  std::filesystem::remove_all(dir_);
  OpenAt(dir_, /*wal_segment_bytes=*/4096, /*target_chunk_bytes=*/8192);
  auto pushed = PushSome(storage_.get(), base_, 40, 30);
  uint64_t segments_before = storage_->store()->GetStats().wal_segments;
  ASSERT_THAT(storage_->store()->FlushIdle(), IsOk());  // writes the cut heads, drops segments
  ASSERT_LT(storage_->store()->GetStats().wal_segments, segments_before);
  auto more = PushSome(storage_.get(), base_, 3, 30, 40);
  pushed.first += more.first;
  pushed.second += more.second;
  CrashTo(Dir("-crash"));
  OpenAt(dir_, 4096, 8192);
  EXPECT_EQ(IndexCounts(), pushed);
}

TEST_F(StorageTest, StreamCountsAndChunkRefsAfterRestart) {
  auto pushed = PushSome(storage_.get(), base_, 10, 20);
  ASSERT_THAT(storage_->store()->FlushAll(), IsOk());
  PushSome(storage_.get(), base_, 2, 20, 10);  // stays in the head
  auto totals = [&] {
    std::pair<uint64_t, uint64_t> t{0, 0};
    for (const auto& info :
         storage_->store()->ListStreams("t", base_ - 3600 * kSec, base_ + 100000 * kSec)) {
      t.first += info.entries;
      t.second += info.bytes;
    }
    return t;
  };
  auto before = totals();
  ASSERT_GT(before.first, pushed.first);
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();
  Open();
  EXPECT_EQ(totals(), before) << "chunk counts from the index";
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();

  // A crash between a chunk's Put and its index entry: here, the whole index is gone.
  std::filesystem::remove_all(dir_ / "index");
  Open();
  EXPECT_EQ(totals(), before) << "chunk counts read from the chunks";
  uint64_t fp = Labels::FromPairs({{"job", "j"}, {"pod", "p0"}}).Hash();
  auto refs = storage_->index()->Chunks("t", fp, base_ - 3600 * kSec, base_ + 100000 * kSec);
  ASSERT_THAT(refs, IsOk());
  ASSERT_FALSE(refs->empty()) << "chunk refs re-registered in the index";
  uint64_t entries = 0;
  for (const auto& r : *refs)
    entries += r.entries;
  EXPECT_EQ(entries, 12u * 20u);  // all of stream p0 (Close flushed the head too)
  auto series = storage_->Series("t", Eq("pod", "p0"), base_, base_ + kSec);
  ASSERT_THAT(series, IsOk());
  EXPECT_EQ(series->size(), 1u);
}

// Head data on days other than the stream's first: stream A is created on day D and gets an
// entry on D+1; stream B is created on D+1 and gets an out-of-order entry back on D (within
// the window). Label and stream queries answer from the index alone, so a range covering only
// D+1 (or only D) must find both streams, from the head before any flush, after a kill -9 and
// its WAL replay, after the heads are flushed into chunks, and after a clean restart.
class HeadDaysTest : public StorageTest {
 protected:
  static constexpr int64_t kMin = 60 * kSec;
  static constexpr int64_t kDay = 86400 * kSec;

  void PushAcrossMidnight() {
    ingest::AppendReport first, second;
    ASSERT_THAT(storage_->Append("t",
                                 {Stream(a_, {{midnight_ - 30 * kMin, "a on D"}}),
                                  Stream(b_, {{midnight_ + 10 * kMin, "b on D+1"}})},
                                 &first),
                IsOk());
    ASSERT_THAT(storage_->Append("t",
                                 {Stream(a_, {{midnight_ + 20 * kMin, "a on D+1"}}),
                                  Stream(b_, {{midnight_ - 10 * kMin, "b back on D"}})},
                                 &second),
                IsOk());
    ASSERT_EQ(first.accepted_entries + second.accepted_entries, 4);
    ASSERT_TRUE(second.rejections.empty());
  }

  std::vector<std::string> Lines(const Matchers& m, int64_t start, int64_t end) {
    logql::SelectLogsParams p;
    p.tenant = "t";
    p.matchers = m;
    p.start_ns = start;
    p.end_ns = end;
    p.direction = Direction::kForward;
    auto it = storage_->SelectLogs(p);
    EXPECT_THAT(it, IsOk());
    std::vector<std::string> out;
    while ((*it)->Next())
      out.emplace_back((*it)->At().line);
    EXPECT_THAT((*it)->status(), IsOk());
    return out;
  }

  void ExpectBothDaysFound(const std::string& when) {
    SCOPED_TRACE(when);
    using S = std::vector<std::string>;
    const int64_t d1 = midnight_, d1_end = midnight_ + kHour;  // only day D+1
    auto names = storage_->LabelNames("t", {}, d1, d1_end);
    ASSERT_THAT(names, IsOk());
    EXPECT_EQ(*names, (S{"app", "pod"}));
    auto values = storage_->LabelValues("t", "app", {}, d1, d1_end);
    ASSERT_THAT(values, IsOk());
    EXPECT_EQ(*values, (S{"a", "b"}));
    auto pods = storage_->LabelValues("t", "pod", Eq("app", "a"), d1, d1_end);
    ASSERT_THAT(pods, IsOk());
    EXPECT_EQ(*pods, (S{"late"}));
    auto series = storage_->Series("t", Eq("pod", "late"), d1, d1_end);
    ASSERT_THAT(series, IsOk());
    ASSERT_EQ(series->size(), 1u);
    EXPECT_EQ((*series)[0], a_);
    EXPECT_EQ(Lines(Eq("app", "a"), d1, d1_end), (S{"a on D+1"}));
    EXPECT_EQ(Lines(Eq("app", "b"), d1, d1_end), (S{"b on D+1"}));

    const int64_t d0 = midnight_ - 15 * kMin;  // only day D
    auto day0 = storage_->LabelValues("t", "app", {}, d0, midnight_);
    ASSERT_THAT(day0, IsOk());
    EXPECT_EQ(*day0, (S{"a", "b"}));
    EXPECT_EQ(Lines(Eq("app", "b"), d0, midnight_), (S{"b back on D"}));

    // A day without entries has no streams: the index is not answering "everything".
    auto empty = storage_->LabelNames("t", {}, midnight_ + kDay, midnight_ + kDay + kHour);
    ASSERT_THAT(empty, IsOk());
    EXPECT_TRUE(empty->empty());
  }

  static constexpr int64_t kHour = 60 * kMin;
  const int64_t midnight_ = base_ / kDay * kDay;
  const Labels a_ = Labels::FromPairs({{"app", "a"}, {"pod", "late"}});
  const Labels b_ = Labels::FromPairs({{"app", "b"}});
};

TEST_F(HeadDaysTest, FoundBeforeFlushAfterCrashAfterFlushAndAfterRestart) {
  ASSERT_NO_FATAL_FAILURE(PushAcrossMidnight());
  ExpectBothDaysFound("heads, before any flush");
  CrashTo(Dir("-crash"));
  Open();
  ASSERT_EQ(storage_->store()->GetStats().wal_replayed_entries, 4u);
  ExpectBothDaysFound("after kill -9 and WAL replay");
  ASSERT_THAT(storage_->store()->FlushAll(), IsOk());
  ASSERT_EQ(storage_->store()->GetStats().head_entries, 0u);
  ExpectBothDaysFound("after the heads were flushed");
  ASSERT_THAT(storage_->Close(), IsOk());
  storage_.reset();
  Open();
  ExpectBothDaysFound("after a clean restart");
}

TEST_F(HeadDaysTest, ReplayRegistersDaysOfEntriesBelowTheCounterWatermark) {
  ASSERT_NO_FATAL_FAILURE(PushAcrossMidnight());
  ASSERT_THAT(storage_->FlushCounters(), IsOk());
  const uint64_t watermark = storage_->store()->WalPosition();
  CrashTo(Dir("-crash"));
  // An index whose counters cover the whole WAL but which lacks the registrations (as a lost
  // or failed registration write leaves it): the replay counts nothing, yet must register.
  std::filesystem::remove_all(dir_ / "index");
  {
    index::IndexOptions o;
    o.path = (dir_ / "index").string();
    auto ix = index::Index::Open(o);
    ASSERT_THAT(ix, IsOk());
    ASSERT_THAT((*ix)->Flush(watermark), IsOk());
  }
  Open();
  auto stats = storage_->index()->Stats("t", {}, midnight_ - kDay, midnight_ + kDay);
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->entries, 0u) << "the replayed records were below the watermark";
  ExpectBothDaysFound("after a replay below the watermark");
}

}  // namespace
}  // namespace sluice::server
