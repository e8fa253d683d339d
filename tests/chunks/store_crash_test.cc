// Crash tests: appends acknowledged before a simulated power cut must all be there after
// reopening, exactly once, whatever was flushed, torn or damaged.
#include <thread>

#include <gtest/gtest.h>

#include "chunks/object_store.h"
#include "chunks/store.h"
#include "chunks/wal_writer.h"
#include "common/fault_file_system.h"
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

// Fails every Put while `fail` is set, to stop a flush between its WAL marker and its chunk.
class FlakyObjectStore : public ObjectStore {
 public:
  explicit FlakyObjectStore(ObjectStore* base) : base_(base) {}

  Status Put(const std::string& key, std::string_view data) override {
    if (fail) {
      return IOError("injected put failure");
    }
    return base_->Put(key, data);
  }

  Result<std::string> Get(const std::string& key) override { return base_->Get(key); }

  Result<std::vector<std::string>> List(std::string_view prefix) override {
    return base_->List(prefix);
  }

  Status Delete(const std::string& key) override { return base_->Delete(key); }

  bool fail = false;

 private:
  ObjectStore* base_;
};

class StoreCrashTest : public ::testing::Test {
 protected:
  void Open() {
    store_.reset();
    StoreOptions o;
    o.fs = fault_.get();
    o.clock = &clock_;
    o.dir = "/data";
    o.background_flush = false;
    o.object_store = &objects_;
    o.target_chunk_bytes = 32 * 1024;
    o.block_bytes = 4096;
    o.wal_segment_bytes = 24 * 1024;
    auto s = Store::Open(o);
    ASSERT_THAT(s, IsOk());
    store_ = std::move(*s);
  }

  void Crash() {
    store_.reset();
    ASSERT_THAT(fault_->DropUnsyncedData(), IsOk());
  }

  void Append(const std::vector<OwnedEntry>& entries, const Labels& labels) {
    StreamAppend sa{&labels, labels.Hash(), entries};
    ASSERT_THAT(store_->Append("t", {&sa, 1}, nullptr), IsOk());
    acked_[labels.Hash()].insert(acked_[labels.Hash()].end(), entries.begin(), entries.end());
  }

  void ExpectAllAcked(const std::vector<Labels>& streams) {
    for (const Labels& l : streams) {
      auto it = store_->NewStreamIterator("t", l.Hash(), kMin, kMax, Direction::kForward);
      Status st;
      auto got = Drain(it.get(), &st);
      EXPECT_THAT(st, IsOk());
      EXPECT_EQ(got, Expected(acked_[l.Hash()], kMin, kMax, Direction::kForward)) << l.ToString();
    }
  }

  std::string LastSegmentPath() {
    auto names = base_->GetChildren("/data/wal");
    uint64_t last = 0, seg;
    for (const auto& n : *names) {
      if (wal::ParseSegmentFileName(n, &seg)) {
        last = std::max(last, seg);
      }
    }
    return "/data/wal/" + wal::SegmentFileName(last);
  }

  std::unique_ptr<FileSystem> base_ = NewMemFileSystem();
  std::unique_ptr<FaultInjectionFileSystem> fault_ = NewFaultInjectionFileSystem(base_.get());
  std::unique_ptr<ObjectStore> local_ = NewLocalObjectStore(fault_.get(), "/objects");
  FlakyObjectStore objects_{local_.get()};
  ManualClock clock_{1'000'000'000'000};
  std::unique_ptr<Store> store_;
  std::map<uint64_t, std::vector<OwnedEntry>> acked_;
  Labels a_ = Labels::FromPairs({{"app", "a"}});
  Labels b_ = Labels::FromPairs({{"app", "b"}});
};

TEST_F(StoreCrashTest, AckedEntriesSurviveCrash) {
  Open();
  for (int i = 0; i < 30; ++i) {
    Append(MakeEntries(50, 1000 + i * 1000, 10, i), i % 2 ? a_ : b_);
  }
  Crash();
  Open();
  ExpectAllAcked({a_, b_});
}

TEST_F(StoreCrashTest, CrashAfterFlushesNeitherLosesNorDuplicates) {
  Open();
  for (int i = 0; i < 40; ++i) {
    Append(MakeEntries(50, 1000 + i * 1000, 10, i), i % 3 ? a_ : b_);
    if (i % 7 == 6) {
      ASSERT_THAT(store_->FlushIdle(), IsOk());
    }
  }
  Crash();
  Open();
  ExpectAllAcked({a_, b_});
  // And again after more appends and a second crash.
  Append(MakeEntries(50, 100000, 10, 99), a_);
  ASSERT_THAT(store_->FlushAll(), IsOk());
  Append(MakeEntries(5, 200000, 10, 98), b_);
  Crash();
  Open();
  ExpectAllAcked({a_, b_});
}

TEST_F(StoreCrashTest, CrashBetweenMarkerAndChunkKeepsEntries) {
  Open();
  Append(MakeEntries(100), a_);
  objects_.fail = true;
  EXPECT_FALSE(store_->FlushAll().ok());  // marker logged, chunk not written
  ExpectAllAcked({a_});                   // still readable from the flushing head
  Crash();
  objects_.fail = false;
  Open();
  ExpectAllAcked({a_});
  ASSERT_THAT(store_->FlushAll(), IsOk());
  Open();
  ExpectAllAcked({a_});
}

TEST_F(StoreCrashTest, ConcurrentAppendersThenCrash) {
  Open();
  std::vector<Labels> streams;
  for (int t = 0; t < 4; ++t) {
    streams.push_back(Labels::FromPairs({{"t", std::to_string(t)}}));
  }
  std::vector<std::vector<OwnedEntry>> per_thread(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < 25; ++b) {
        auto e = MakeEntries(20, 1000 + b * 1000, 10, t * 100 + b);
        StreamAppend sa{&streams[t], streams[t].Hash(), e};
        if (store_->Append("t", {&sa, 1}, nullptr).ok()) {
          per_thread[t].insert(per_thread[t].end(), e.begin(), e.end());
        }
        if (t == 0 && b % 10 == 9) {
          store_->FlushIdle().IgnoreError();
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (int t = 0; t < 4; ++t) {
    acked_[streams[t].Hash()] = per_thread[t];
  }
  Crash();
  Open();
  ExpectAllAcked(streams);
}

TEST_F(StoreCrashTest, FailingDiskFailsAppendsUntilReopen) {
  Open();
  Append(MakeEntries(20), a_);
  fault_->SetFilesystemActive(false);
  auto lost = MakeEntries(5, 100000);
  StreamAppend sa{&a_, a_.Hash(), lost};
  EXPECT_FALSE(store_->Append("t", {&sa, 1}, nullptr).ok());
  fault_->SetFilesystemActive(true);
  EXPECT_FALSE(store_->Append("t", {&sa, 1}, nullptr).ok());  // sticky: WAL tail unknown
  Crash();
  Open();
  ExpectAllAcked({a_});
  Append(MakeEntries(5, 200000), a_);
  Open();
  ExpectAllAcked({a_});
}

TEST_F(StoreCrashTest, TornTailIsCutWithWarning) {
  Open();
  Append(MakeEntries(200), a_);
  store_.reset();
  // A half-written record at the end of the last segment, as a crash mid-write leaves it.
  std::string path = LastSegmentPath();
  auto data = ReadFileToString(base_.get(), path);
  ASSERT_THAT(data, IsOk());
  std::string torn = data->substr(data->size() - 300);
  ASSERT_THAT(WriteFileAtomically(base_.get(), path, *data + torn.substr(0, 150)), IsOk());
  Open();
  ExpectAllAcked({a_});
  EXPECT_GE(store_->GetStats().wal_corruptions, 1u);
  Append(MakeEntries(10, 100000), a_);
  Open();
  ExpectAllAcked({a_});
}

TEST_F(StoreCrashTest, CorruptMiddleOfSegmentIsSkipped) {
  Open();
  std::vector<OwnedEntry> first = MakeEntries(400, 1000, 10, 1);
  Append(first, a_);
  Append(MakeEntries(400, 100000, 10, 2), b_);
  store_.reset();
  std::string path = LastSegmentPath();
  auto data = ReadFileToString(base_.get(), path);
  ASSERT_THAT(data, IsOk());
  std::string bad = *data;
  bad[bad.size() / 2] ^= 0x55;
  ASSERT_THAT(WriteFileAtomically(base_.get(), path, bad), IsOk());
  Open();  // must not fail or crash
  EXPECT_GE(store_->GetStats().wal_corruptions, 1u);
  // What survives is a subset of what was written, never invented.
  for (const Labels& l : {a_, b_}) {
    auto it = store_->NewStreamIterator("t", l.Hash(), kMin, kMax, Direction::kForward);
    auto got = Drain(it.get());
    const auto& all = acked_[l.Hash()];
    for (const auto& e : got) {
      EXPECT_NE(std::find(all.begin(), all.end(), e), all.end());
    }
  }
}

}  // namespace
}  // namespace sluice::chunks
