#include "chunks/store.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "chunks/block.h"
#include "chunks/object_store.h"
#include "chunks/wal_writer.h"
#include "common/mem_file_system.h"
#include "test_util.h"
#include "testing/status_matchers.h"

namespace sluice::chunks {
namespace {

using sluice::testing::IsOk;
using testing::Drain;
using testing::Expected;
using testing::MakeEntries;

constexpr int64_t kMin = INT64_MIN, kMax = INT64_MAX;

// Called from concurrent appenders (the Store holds no lock during callbacks), so it locks.
class RecordingObserver : public StoreObserver {
 public:
  void OnStreamCreated(std::string_view, uint64_t fp, const Labels&, int64_t) override {
    std::lock_guard lock(mu);
    created.push_back(fp);
  }

  void OnChunkFlushed(const ChunkMeta& meta, const Labels&) override {
    std::lock_guard lock(mu);
    flushed.push_back(meta);
  }

  std::mutex mu;

  std::vector<uint64_t> created;
  std::vector<ChunkMeta> flushed;
};

class StoreTest : public ::testing::Test {
 protected:
  StoreOptions Options() {
    StoreOptions o;
    o.fs = fs_.get();
    o.clock = &clock_;
    o.dir = "/data";
    o.background_flush = false;
    o.observer = &observer_;
    o.target_chunk_bytes = 64 * 1024;
    o.block_bytes = 8 * 1024;
    o.wal_segment_bytes = segment_bytes_;
    o.max_flush_backlog_bytes = max_backlog_;
    return o;
  }

  void Open() {
    store_.reset();
    auto s = Store::Open(Options());
    ASSERT_THAT(s, IsOk());
    store_ = std::move(*s);
  }

  AppendOutcome Append(const Labels& labels, const std::vector<OwnedEntry>& entries,
                       std::string_view tenant = "t") {
    StreamAppend sa{&labels, labels.Hash(), entries};
    AppendOutcome out;
    EXPECT_THAT(store_->Append(tenant, {&sa, 1}, &out), IsOk());
    return out;
  }

  std::vector<OwnedEntry> Read(const Labels& labels, Direction d = Direction::kForward,
                               int64_t start = kMin, int64_t end = kMax,
                               std::string_view tenant = "t") {
    auto it = store_->NewStreamIterator(tenant, labels.Hash(), start, end, d);
    Status st;
    auto out = Drain(it.get(), &st);
    EXPECT_THAT(st, IsOk());
    return out;
  }

  size_t WalSegments() {
    auto names = fs_->GetChildren("/data/wal");
    size_t n = 0;
    for (const auto& name : *names) {
      uint64_t seg;
      n += wal::ParseSegmentFileName(name, &seg);
    }
    return n;
  }

  size_t segment_bytes_ = 128 * 1024;
  size_t max_backlog_ = 64 << 20;
  std::unique_ptr<FileSystem> fs_ = NewMemFileSystem();
  ManualClock clock_{1'000'000'000'000};
  RecordingObserver observer_;
  std::unique_ptr<Store> store_;
  Labels a_ = Labels::FromPairs({{"app", "a"}});
  Labels b_ = Labels::FromPairs({{"app", "b"}});
};

TEST_F(StoreTest, AppendThenReadHeadInBothDirections) {
  Open();
  auto entries = MakeEntries(100);
  AppendOutcome out = Append(a_, entries);
  EXPECT_EQ(out.accepted, 100);
  EXPECT_EQ(Read(a_), entries);
  EXPECT_EQ(Read(a_, Direction::kBackward), Expected(entries, kMin, kMax, Direction::kBackward));
  EXPECT_EQ(Read(a_, Direction::kForward, 1100, 1200),
            Expected(entries, 1100, 1200, Direction::kForward));
  EXPECT_TRUE(Read(b_).empty());
  EXPECT_TRUE(Read(a_, Direction::kForward, kMin, kMax, "other").empty());
  EXPECT_EQ(observer_.created, std::vector<uint64_t>{a_.Hash()});
  EXPECT_EQ(store_->Tenants(), std::vector<std::string>{"t"});
}

TEST_F(StoreTest, OutOfOrderWithinWindowIsSortedAndTooOldIsRejected) {
  auto o = Options();
  Open();
  int64_t hour = o.out_of_order_window_ns;
  std::vector<OwnedEntry> entries = {{10 * hour, "newest", {}},
                                     {10 * hour - hour / 2, "late but ok", {}},
                                     {10 * hour - hour - 1, "too old", {}},
                                     {10 * hour - hour, "exactly at bound", {}}};
  AppendOutcome out = Append(a_, entries);
  EXPECT_EQ(out.accepted, 3);
  ASSERT_EQ(out.too_far_behind.size(), 1u);
  EXPECT_EQ(out.too_far_behind[0].entry_index, 2u);
  EXPECT_EQ(out.too_far_behind[0].bound_ns, 9 * hour);
  auto got = Read(a_);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].line, "exactly at bound");
  EXPECT_EQ(got[1].line, "late but ok");
  EXPECT_EQ(got[2].line, "newest");
}

TEST_F(StoreTest, DuplicateOfLastEntryIsDroppedSilently) {
  Open();
  std::vector<OwnedEntry> first = {{1, "x", {}}, {2, "y", {{"k", "v"}}}};
  EXPECT_EQ(Append(a_, first).accepted, 2);
  // Same as the last: dropped. Same ts and line but other metadata: kept. Equal to an older
  // entry (not the last): kept, as Loki does.
  std::vector<OwnedEntry> second = {{2, "y", {{"k", "v"}}}, {2, "y", {}}, {1, "x", {}}};
  AppendOutcome out = Append(a_, second);
  EXPECT_EQ(out.accepted, 2);
  EXPECT_EQ(out.duplicates, 1);
  EXPECT_EQ(Read(a_).size(), 4u);
}

TEST_F(StoreTest, FlushWritesChunksAndReadsMergeHeadAndChunks) {
  Open();
  auto entries = MakeEntries(3000);  // several chunks at 64 KiB
  Append(a_, std::vector<OwnedEntry>(entries.begin(), entries.begin() + 2000));
  ASSERT_THAT(store_->FlushIdle(), IsOk());  // size-cut heads are flushed
  EXPECT_GT(observer_.flushed.size(), 0u);
  Append(a_, std::vector<OwnedEntry>(entries.begin() + 2000, entries.end()));
  EXPECT_EQ(Read(a_), entries);
  EXPECT_EQ(Read(a_, Direction::kBackward), Expected(entries, kMin, kMax, Direction::kBackward));
  ASSERT_THAT(store_->FlushAll(), IsOk());
  EXPECT_EQ(store_->GetStats().head_entries, 0u);
  EXPECT_EQ(Read(a_), entries);
  for (auto [s, e] :
       std::vector<std::pair<int64_t, int64_t>>{{5000, 7000}, {0, 1001}, {30990, 40000}}) {
    EXPECT_EQ(Read(a_, Direction::kBackward, s, e), Expected(entries, s, e, Direction::kBackward));
  }
  uint64_t total = 0;
  for (const ChunkMeta& m : observer_.flushed) {
    total += m.entries;
    EXPECT_EQ(m.tenant, "t");
    EXPECT_LE(m.from_ns, m.through_ns);
  }
  EXPECT_EQ(total, entries.size());
}

TEST_F(StoreTest, IdleAndAgedHeadsAreCut) {
  auto o = Options();
  Open();
  Append(a_, MakeEntries(10));
  ASSERT_THAT(store_->FlushIdle(), IsOk());
  EXPECT_EQ(observer_.flushed.size(), 0u);
  clock_.Advance(o.chunk_idle_ns);
  ASSERT_THAT(store_->FlushIdle(), IsOk());
  EXPECT_EQ(observer_.flushed.size(), 1u);
  // Age: a head that keeps receiving entries is still cut after max_chunk_age.
  for (int i = 0; i < 5; ++i) {
    Append(b_, MakeEntries(1, 100000 + i));
    clock_.Advance(o.max_chunk_age_ns / 4);
    ASSERT_THAT(store_->FlushIdle(), IsOk());
  }
  EXPECT_EQ(observer_.flushed.size(), 2u);
}

TEST_F(StoreTest, ReopenReplaysHeadAndListsChunksWithoutDuplicates) {
  Open();
  auto entries = MakeEntries(3000);
  Append(a_, std::vector<OwnedEntry>(entries.begin(), entries.begin() + 1500));
  ASSERT_THAT(store_->FlushIdle(), IsOk());
  Append(a_, std::vector<OwnedEntry>(entries.begin() + 1500, entries.end()));
  auto other = MakeEntries(20, 5);
  Append(b_, other, "u");
  Open();  // no FlushAll: the heads come back from the WAL
  EXPECT_EQ(Read(a_), entries);
  EXPECT_EQ(Read(b_, Direction::kForward, kMin, kMax, "u"), other);
  EXPECT_GT(store_->GetStats().wal_replayed_entries, 0u);
  EXPECT_EQ(store_->GetStats().wal_corruptions, 0u);
  auto streams = store_->ListStreams("t", kMin, kMax);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].labels, a_);
  EXPECT_EQ(streams[0].min_ts_ns, entries.front().timestamp_ns);
  EXPECT_EQ(streams[0].max_ts_ns, entries.back().timestamp_ns);
  EXPECT_TRUE(store_->ListStreams("t", 0, entries.front().timestamp_ns).empty());
  EXPECT_EQ(store_->Tenants(), (std::vector<std::string>{"t", "u"}));
  // Replayed again after more flushing: still exactly once.
  ASSERT_THAT(store_->FlushAll(), IsOk());
  Open();
  EXPECT_EQ(Read(a_), entries);
  EXPECT_EQ(store_->GetStats().wal_replayed_entries, 0u);
}

TEST_F(StoreTest, StreamsKnownOnlyFromChunksAreListedAfterReopen) {
  Open();
  auto entries = MakeEntries(6000);  // enough WAL for FlushAll to retire the segment
  Append(a_, entries);
  ASSERT_THAT(store_->FlushAll(), IsOk());
  observer_.created.clear();
  Open();  // the WAL no longer knows the stream: labels come from its newest chunk
  EXPECT_EQ(store_->GetStats().wal_replayed_entries, 0u);
  EXPECT_TRUE(observer_.created.empty());
  auto streams = store_->ListStreams("t", kMin, kMax);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].labels, a_);
  EXPECT_EQ(streams[0].min_ts_ns, entries.front().timestamp_ns);
  EXPECT_EQ(streams[0].max_ts_ns, entries.back().timestamp_ns);
  // Without an observer that knows them, every chunk is read for its counts.
  EXPECT_EQ(streams[0].entries, entries.size());
  uint64_t bytes = 0;
  for (const OwnedEntry& e : entries) {
    std::string md;
    if (!e.metadata.empty())
      EncodeMetadata(e.metadata, &md);
    bytes += e.line.size() + md.size();
  }
  EXPECT_EQ(streams[0].bytes, bytes);
  EXPECT_EQ(Read(a_, Direction::kBackward), Expected(entries, kMin, kMax, Direction::kBackward));
  // The out-of-order window still applies against the flushed data.
  std::vector<OwnedEntry> old = {
      {entries.back().timestamp_ns - 2 * Options().out_of_order_window_ns, "old", {}}};
  EXPECT_EQ(Append(a_, old).too_far_behind.size(), 1u);
}

TEST_F(StoreTest, WaitForFlushBacklogBlocksUntilTheCutHeadsAreWritten) {
  max_backlog_ = 1024;
  Open();
  Append(a_, MakeEntries(10));  // below the target chunk size: no backlog
  store_->WaitForFlushBacklog(int64_t{3600} * 1000000000);  // returns at once
  Append(a_, MakeEntries(3000, 100000));                    // cut into flushing heads
  ASSERT_GT(store_->GetStats().head_bytes, 1024u);
  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    store_->WaitForFlushBacklog(int64_t{3600} * 1000000000);
    returned = true;
  });
  EXPECT_FALSE(returned.load());
  ASSERT_THAT(store_->FlushIdle(), IsOk());  // writes the cut heads
  waiter.join();
  EXPECT_TRUE(returned.load());
}

TEST_F(StoreTest, ReplayedStreamsAreAnnouncedToTheObserver) {
  Open();
  Append(a_, MakeEntries(10));
  Append(b_, MakeEntries(10), "u");
  observer_.created.clear();
  Open();
  std::sort(observer_.created.begin(), observer_.created.end());
  std::vector<uint64_t> want = {a_.Hash(), b_.Hash()};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(observer_.created, want);
}

TEST_F(StoreTest, SegmentsAreDeletedOnceFlushed) {
  segment_bytes_ = 16 * 1024;
  Open();
  for (int round = 0; round < 20; ++round) {
    Append(a_, MakeEntries(200, 1000 + round * 10000, 10, round));
  }
  EXPECT_GT(WalSegments(), 3u);
  ASSERT_THAT(store_->FlushAll(), IsOk());
  EXPECT_EQ(WalSegments(), 1u);  // only the segment being written, a fresh one
  EXPECT_EQ(store_->GetStats().wal_segments, 1u);
  EXPECT_LT(store_->GetStats().wal_bytes, segment_bytes_);
  Open();
  EXPECT_EQ(Read(a_).size(), 4000u);
  // Old segments whose entries are flushed go; the one a head needs stays.
  Append(b_, MakeEntries(5));
  for (int round = 0; round < 10; ++round) {
    Append(a_, MakeEntries(200, 1'000'000 + round * 10000, 10, round));
  }
  ASSERT_THAT(store_->FlushIdle(), IsOk());  // b's head is not idle yet
  Open();
  EXPECT_EQ(Read(b_).size(), 5u);
  EXPECT_EQ(Read(a_).size(), 6000u);
}

TEST_F(StoreTest, FlushAllRetiresTheCurrentSegmentToo) {
  segment_bytes_ = 64 << 20;
  Open();
  for (int round = 0; round < 20; ++round) {
    Append(a_, MakeEntries(1000, 1000 + round * 100000, 10, round));
  }
  EXPECT_EQ(WalSegments(), 1u);
  EXPECT_GT(store_->GetStats().wal_bytes, 200u * 1024);
  ASSERT_THAT(store_->FlushAll(), IsOk());
  EXPECT_EQ(WalSegments(), 1u);
  EXPECT_LT(store_->GetStats().wal_bytes, 1024u);
  Open();
  EXPECT_EQ(Read(a_).size(), 20000u);
}

TEST_F(StoreTest, SlowStreamDoesNotPinOldSegments) {
  segment_bytes_ = 16 * 1024;
  Open();
  Append(b_, MakeEntries(3));  // a slow stream: its head would pin segment 1 forever
  for (int round = 0; round < 30; ++round) {
    Append(a_, MakeEntries(200, 1000 + round * 10000, 10, round));
    ASSERT_THAT(store_->FlushIdle(), IsOk());
  }
  // wal_max_segments (3) behind the current one, plus the current, plus the one being cut.
  EXPECT_LE(WalSegments(), 5u);
  EXPECT_EQ(Read(b_).size(), 3u);
  Open();
  EXPECT_EQ(Read(b_).size(), 3u);
  EXPECT_EQ(Read(a_).size(), 6000u);
}

TEST_F(StoreTest, ConcurrentAppendersShareSyncs) {
  Open();
  constexpr int kThreads = 8, kBatches = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Labels l = Labels::FromPairs({{"thread", std::to_string(t)}});
      for (int b = 0; b < kBatches; ++b) {
        auto e = MakeEntries(10, 1000 + b * 1000, 10, t * 100 + b);
        StreamAppend sa{&l, l.Hash(), e};
        if (!store_->Append("t", {&sa, 1}, nullptr).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  Store::Stats st = store_->GetStats();
  EXPECT_LE(st.wal_syncs, uint64_t{kThreads * kBatches} + 1);
  EXPECT_EQ(st.head_entries, uint64_t{kThreads * kBatches * 10});
  Open();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(Read(Labels::FromPairs({{"thread", std::to_string(t)}})).size(),
              size_t{kBatches * 10});
  }
}

TEST_F(StoreTest, BackgroundFlushWhileAppendingAndReading) {
  auto o = Options();
  o.background_flush = true;
  o.flush_check_interval_ns = 1'000'000;  // 1 ms
  o.target_chunk_bytes = 8 * 1024;
  auto s = Store::Open(o);
  ASSERT_THAT(s, IsOk());
  store_ = std::move(*s);
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto it = store_->NewStreamIterator("t", a_.Hash(), kMin, kMax, Direction::kBackward);
      int64_t prev = kMax;
      while (it->Next()) {
        if (it->At().timestamp_ns > prev)
          ++read_errors;  // out of order
        prev = it->At().timestamp_ns;
      }
      if (!it->status().ok())
        ++read_errors;
      store_->ListStreams("t", kMin, kMax);
      store_->GetStats();
    }
  });
  auto entries = MakeEntries(3000);
  for (size_t i = 0; i < entries.size(); i += 100) {
    Append(a_, std::vector<OwnedEntry>(entries.begin() + i, entries.begin() + i + 100));
  }
  done = true;
  reader.join();
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_EQ(Read(a_), entries);
  Open();
  EXPECT_EQ(Read(a_), entries);
}

TEST_F(StoreTest, SharedObjectStoreAndStats) {
  auto objects = NewLocalObjectStore(fs_.get(), "/objects");
  auto o = Options();
  o.object_store = objects.get();
  auto s = Store::Open(o);
  ASSERT_THAT(s, IsOk());
  auto entries = MakeEntries(50);
  StreamAppend sa{&a_, a_.Hash(), entries};
  ASSERT_THAT((*s)->Append("t", {&sa, 1}, nullptr), IsOk());
  ASSERT_THAT((*s)->FlushAll(), IsOk());
  auto keys = objects->List("t/");
  ASSERT_THAT(keys, IsOk());
  ASSERT_EQ(keys->size(), 1u);
  Store::Stats st = (*s)->GetStats();
  EXPECT_EQ(st.chunks_flushed, 1u);
  EXPECT_GT(st.chunk_bytes_flushed, 0u);
  EXPECT_EQ(st.streams, 1u);
}

}  // namespace
}  // namespace sluice::chunks
