// Index open / reopen, persistence, chunk references, counters and the watermark.
#include "index/index.h"

#include <fstream>

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include "common/clock.h"
#include "index_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::index::testing {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_F(IndexTest, StreamsSurviveReopen) {
  Labels ls = Labels::FromPairs({{"app", "api"}});
  Add("t", ls, kDay0 + kHour);
  Reopen();
  EXPECT_THAT(Select("t", {Eq("app", "api")}), ElementsAre(ls.ToString()));
  // Re-adding after reopen is idempotent.
  Add("t", ls, kDay0 + 2 * kHour);
  EXPECT_EQ(Select("t", {}).size(), 1u);
}

TEST_F(IndexTest, OpenRejectsEmptyPathAndBadBucket) {
  EXPECT_THAT(Index::Open(IndexOptions{}), StatusIs(StatusCode::kInvalidArgument, "path"));
  IndexOptions o = Options();
  o.counter_bucket_ns = 0;
  EXPECT_THAT(Index::Open(o), StatusIs(StatusCode::kInvalidArgument, "counter_bucket_ns"));
  o.counter_bucket_ns = 7 * kHour;  // does not divide a day
  EXPECT_THAT(Index::Open(o), StatusIs(StatusCode::kInvalidArgument, "divide a day"));
}

TEST_F(IndexTest, OpenRejectsOtherVersionsAndForeignDatabases) {
  index_.reset();
  {
    leveldb::DB* db = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir_ + "/index", &db).ok());
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), std::string("\0version", 8), "2").ok());
    delete db;
  }
  EXPECT_THAT(Index::Open(Options()), StatusIs(StatusCode::kFailedPrecondition, "version 2"));
  {
    leveldb::Options lo;
    lo.create_if_missing = true;
    leveldb::DB* db = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(lo, dir_ + "/foreign", &db).ok());
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "hello", "world").ok());
    delete db;
  }
  IndexOptions o = Options();
  o.path = dir_ + "/foreign";
  EXPECT_THAT(Index::Open(o), StatusIs(StatusCode::kCorruption, "version key"));
}

TEST_F(IndexTest, CounterBucketWidthIsFixedAtCreation) {
  IndexOptions o = Options();
  o.path = dir_ + "/other";
  o.counter_bucket_ns = 10 * kSecond * 60;
  Reopen(o);
  EXPECT_EQ(index_->counter_bucket_ns(), 10 * 60 * kSecond);
  o.counter_bucket_ns = kHour;
  Reopen(o);
  EXPECT_EQ(index_->counter_bucket_ns(), 10 * 60 * kSecond);
}

TEST_F(IndexTest, ChunksAreFoundByTimeRangeAndSurviveReopen) {
  ChunkRef a{"t", 42, kDay0, kDay0 + kHour, "chunks/a", 10, 100};
  ChunkRef b{"t", 42, kDay0 + 2 * kHour, kDay0 + 3 * kHour, std::string("chunks/\0b", 9), 20, 200};
  ChunkRef other_stream{"t", 43, kDay0, kDay0 + kHour, "chunks/c", 1, 1};
  ChunkRef other_tenant{"t2", 42, kDay0, kDay0 + kHour, "chunks/d", 1, 1};
  for (const auto& c : {a, b, other_stream, other_tenant}) {
    ASSERT_THAT(index_->AddChunk(c), IsOk());
  }
  Reopen();
  auto all = index_->Chunks("t", 42, 0, kDay0 + kDay);
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, ElementsAre(a, b));
  // [from, through] inclusive against [start, end) half-open.
  auto at_through = index_->Chunks("t", 42, kDay0 + kHour, kDay0 + kHour + 1);
  ASSERT_THAT(at_through, IsOk());
  EXPECT_THAT(*at_through, ElementsAre(a));
  auto before_b = index_->Chunks("t", 42, kDay0 + kHour + 1, kDay0 + 2 * kHour);
  ASSERT_THAT(before_b, IsOk());
  EXPECT_THAT(*before_b, IsEmpty());
  auto only_b = index_->Chunks("t", 42, kDay0 + 2 * kHour, kDay0 + kDay);
  ASSERT_THAT(only_b, IsOk());
  EXPECT_THAT(*only_b, ElementsAre(b));
  auto t2 = index_->Chunks("t2", 42, 0, kDay0 + kDay);
  ASSERT_THAT(t2, IsOk());
  EXPECT_THAT(*t2, ElementsAre(other_tenant));
}

TEST_F(IndexTest, LongChunksAreFoundFromAnyRangeInside) {
  ChunkRef longc{"t", 7, kDay0, kDay0 + 10 * kHour, "long", 5, 50};
  ChunkRef later{"t", 7, kDay0 + 11 * kHour, kDay0 + 12 * kHour, "later", 5, 50};
  ASSERT_THAT(index_->AddChunk(longc), IsOk());
  ASSERT_THAT(index_->AddChunk(later), IsOk());
  auto r = index_->Chunks("t", 7, kDay0 + 5 * kHour, kDay0 + 6 * kHour);
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(*r, ElementsAre(longc));
}

TEST_F(IndexTest, AddChunkRejectsInvertedRange) {
  EXPECT_THAT(index_->AddChunk(ChunkRef{"t", 1, 10, 5, "k", 1, 1}),
              StatusIs(StatusCode::kInvalidArgument, "ends before"));
}

TEST_F(IndexTest, CountersPersistAcrossFlushAndReopen) {
  Labels ls = Labels::FromPairs({{"app", "api"}});
  Add("t", ls, kDay0 + kHour, 3, 30);
  Add("t", ls, kDay0 + kHour + kSecond, 2, 20);
  ASSERT_THAT(index_->Flush(17), IsOk());
  EXPECT_EQ(index_->flushed_watermark(), 17u);
  Reopen();
  EXPECT_EQ(index_->flushed_watermark(), 17u);
  auto s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 5u);
  EXPECT_EQ(s->bytes, 50u);
  // Counting continues from the persisted totals.
  Add("t", ls, kDay0 + kHour, 1, 1);
  ASSERT_THAT(index_->Flush(), IsOk());
  Reopen();
  s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 6u);
  EXPECT_EQ(s->bytes, 51u);
}

TEST_F(IndexTest, UnflushedCountersAreVisibleToQueriesAndAutoFlushed) {
  IndexOptions o = Options();
  o.flush_on_close = false;  // reopening then behaves like a crash for counters
  o.max_dirty_counters = 2;  // the third distinct dirty counter triggers a write
  Reopen(o);
  for (int i = 0; i < 5; ++i) {
    Add("t", Labels::FromPairs({{"i", std::to_string(i)}}), kDay0 + kHour, 1, 1);
  }
  auto s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 5u);
  // Without an explicit Flush, reopening keeps what the automatic flushes wrote (at least the
  // first batch of counters).
  Reopen(o);
  s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_GE(s->entries, 2u);
}

TEST_F(IndexTest, CountersNotFlushedAreLostWithoutFlushOnClose) {
  IndexOptions o = Options();
  o.flush_on_close = false;
  Reopen(o);
  Add("t", Labels::FromPairs({{"app", "a"}}), kDay0 + kHour, 4, 40);
  Reopen(o);
  auto s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->streams, 1u);  // the registration was written at once
  EXPECT_EQ(s->entries, 0u);
}

TEST_F(IndexTest, CloseFlushesCountersByDefault) {
  Add("t", Labels::FromPairs({{"app", "a"}}), kDay0 + kHour, 4, 40);
  Reopen();
  auto s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 4u);
}

TEST_F(IndexTest, TimeTriggerFlushesCounters) {
  ManualClock clock(0);
  IndexOptions o = Options();
  o.flush_on_close = false;
  o.clock = &clock;
  o.flush_interval_ns = 10 * kSecond;
  Reopen(o);
  Labels a = Labels::FromPairs({{"app", "a"}});
  Add("t", a, kDay0 + kHour, 4, 40);
  clock.Advance(11 * kSecond);
  Add("t", a, kDay0 + kHour, 0, 0);  // registration only: still checks the trigger
  Reopen(o);
  auto s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 4u);
}

}  // namespace
}  // namespace sluice::index::testing
