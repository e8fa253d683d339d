// One typed suite for every EntryIterator chunks/ produces (house style #3): head block, chunk,
// and the Store's per-stream iterator over head + flushing heads + chunks. Each factory gets
// the same entries (including out-of-order arrivals and equal timestamps) and must yield
// exactly the entries in [start, end) in direction order.
#include <algorithm>
#include <atomic>
#include <memory>

#include <gtest/gtest.h>

#include "chunks/chunk.h"
#include "chunks/head_block.h"
#include "chunks/store.h"
#include "common/mem_file_system.h"
#include "test_util.h"
#include "testing/status_matchers.h"

namespace sluice::chunks {
namespace {

using sluice::testing::IsOk;
using testing::Drain;
using testing::Expected;

const Labels kLabels = Labels::FromPairs({{"job", "conformance"}});

struct HeadFactory {
  HeadBlock head;

  void Load(const std::vector<OwnedEntry>& entries) {
    for (const auto& e : entries) {
      head.Append(e.view());
    }
  }

  std::unique_ptr<EntryIterator> New(int64_t s, int64_t e, Direction d, LineFilterFn f = {}) {
    return head.NewIterator(std::make_shared<const Labels>(kLabels), kLabels.Hash(), s, e, d, f);
  }
};

struct ChunkFactory {
  std::shared_ptr<const Chunk> chunk;

  void Load(const std::vector<OwnedEntry>& entries) {
    HeadBlock head;
    for (const auto& e : entries) {
      head.Append(e.view());
    }
    ChunkBuilder b("t", kLabels.Hash(), kLabels, ChunkBuilder::Options{1024, 1});
    head.BuildChunk(&b);
    if (entries.empty()) {
      return;
    }
    auto bytes = b.Finish();
    ASSERT_THAT(bytes, IsOk());
    auto c = Chunk::Parse(std::move(*bytes));
    ASSERT_THAT(c, IsOk());
    chunk = *c;
  }

  std::unique_ptr<EntryIterator> New(int64_t s, int64_t e, Direction d, LineFilterFn f = {}) {
    if (!chunk) {
      return NewEmptyEntryIterator();
    }
    return NewChunkIterator(chunk, s, e, d, std::move(f));
  }
};

// The first and second thirds of the entries are flushed into chunks, the last stays in the
// head, so the stream iterator merges overlapping chunks and head.
struct StoreFactory {
  std::unique_ptr<FileSystem> fs = NewMemFileSystem();
  ManualClock clock{0};
  std::unique_ptr<Store> store;

  void Load(const std::vector<OwnedEntry>& entries) {
    StoreOptions o;
    o.fs = fs.get();
    o.clock = &clock;
    o.dir = "/d";
    o.background_flush = false;
    o.block_bytes = 1024;
    o.out_of_order_window_ns = INT64_MAX / 4;
    auto s = Store::Open(o);
    ASSERT_THAT(s, IsOk());
    store = std::move(*s);
    size_t third = entries.size() / 3;
    for (size_t part = 0; part < 3; ++part) {
      size_t begin = part * third, end = part == 2 ? entries.size() : begin + third;
      std::span<const OwnedEntry> slice(entries.data() + begin, end - begin);
      StreamAppend sa{&kLabels, kLabels.Hash(), slice};
      AppendOutcome out;
      ASSERT_THAT(store->Append("t", {&sa, 1}, &out), IsOk());
      ASSERT_EQ(out.accepted, static_cast<int64_t>(slice.size()));
      if (part < 2) {
        ASSERT_THAT(store->FlushAll(), IsOk());
      }
    }
  }

  std::unique_ptr<EntryIterator> New(int64_t s, int64_t e, Direction d, LineFilterFn f = {}) {
    if (f) {
      return store->NewFilteredStreamIterator("t", kLabels.Hash(), s, e, d, std::move(f));
    }
    return store->NewStreamIterator("t", kLabels.Hash(), s, e, d);
  }
};

template <typename F>
class IteratorConformanceTest : public ::testing::Test {
 protected:
  // Out-of-order arrivals, equal timestamps with distinct lines, metadata.
  static std::vector<OwnedEntry> Entries(size_t n) {
    std::vector<OwnedEntry> out;
    for (size_t i = 0; i < n; ++i) {
      int64_t ts = 1000 + static_cast<int64_t>((i * 7919) % n) * 10 + (i % 5 == 0 ? 0 : 3);
      out.push_back(OwnedEntry{
          ts, "line-" + std::to_string(i) + std::string(i % 50, '.'),
          i % 4 == 0 ? std::vector<Label>{{"m", std::to_string(i)}} : std::vector<Label>{}});
    }
    return out;
  }

  void Check(const std::vector<OwnedEntry>& entries, int64_t start, int64_t end, Direction d,
             LineFilterFn filter = {}) {
    auto it = factory_.New(start, end, d, filter);
    std::vector<OwnedEntry> got;
    while (it->Next()) {
      EXPECT_EQ(it->StreamLabels(), kLabels);
      EXPECT_EQ(it->StreamHash(), kLabels.Hash());
      const Entry& e = it->At();
      got.push_back(OwnedEntry{e.timestamp_ns, std::string(e.line),
                               std::vector<Label>(e.metadata.begin(), e.metadata.end())});
    }
    EXPECT_THAT(it->status(), IsOk());
    EXPECT_FALSE(it->Next()) << "Next after the end must stay false";
    auto want = Expected(entries, start, end, d);
    if (filter) {
      std::erase_if(want,
                    [&](const OwnedEntry& e) { return !filter(e.line, MetadataView(e.metadata)); });
    }
    ASSERT_EQ(got.size(), want.size()) << start << ".." << end;
    // Equal timestamps may come in any order across heads/chunks: compare per timestamp.
    auto key = [](const OwnedEntry& e) { return std::make_pair(e.timestamp_ns, e.line); };
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].timestamp_ns, want[i].timestamp_ns);
    }
    std::sort(got.begin(), got.end(), [&](auto& a, auto& b) { return key(a) < key(b); });
    std::sort(want.begin(), want.end(), [&](auto& a, auto& b) { return key(a) < key(b); });
    EXPECT_EQ(got, want);
  }

  F factory_;
};

using Factories = ::testing::Types<HeadFactory, ChunkFactory, StoreFactory>;
TYPED_TEST_SUITE(IteratorConformanceTest, Factories);

TYPED_TEST(IteratorConformanceTest, FullRangeBothDirections) {
  auto entries = this->Entries(600);
  this->factory_.Load(entries);
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    this->Check(entries, INT64_MIN, INT64_MAX, d);
  }
}

TYPED_TEST(IteratorConformanceTest, SubRangesAreHalfOpen) {
  auto entries = this->Entries(600);
  this->factory_.Load(entries);
  for (auto [s, e] : std::vector<std::pair<int64_t, int64_t>>{{1000, 1003},
                                                              {1003, 1004},
                                                              {2000, 4000},
                                                              {6990, 7000},
                                                              {0, 1000},
                                                              {7000, 9000},
                                                              {3000, 3000},
                                                              {3001, 2000}}) {
    for (Direction d : {Direction::kForward, Direction::kBackward}) {
      this->Check(entries, s, e, d);
    }
  }
}

TYPED_TEST(IteratorConformanceTest, LineFilterSkipsRejectedLines) {
  auto entries = this->Entries(600);
  this->factory_.Load(entries);
  LineFilterFn has_seven = [](std::string_view line, const MetadataView&) {
    return line.find('7') != std::string_view::npos;
  };
  // Every source shows the filter the names of the entry's structured metadata.
  LineFilterFn seven_or_metadata = [](std::string_view line, const MetadataView& md) {
    return md.AnyName([](std::string_view n) { return n == "m"; }) ||
           line.find('7') != std::string_view::npos;
  };
  LineFilterFn seven_or_other_metadata = [](std::string_view line, const MetadataView& md) {
    return md.AnyName([](std::string_view n) { return n != "m"; }) ||
           line.find('7') != std::string_view::npos;
  };
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    this->Check(entries, INT64_MIN, INT64_MAX, d, has_seven);
    this->Check(entries, 2000, 4000, d, has_seven);
    this->Check(entries, INT64_MIN, INT64_MAX, d, seven_or_metadata);
    this->Check(entries, INT64_MIN, INT64_MAX, d, seven_or_other_metadata);
    this->Check(entries, INT64_MIN, INT64_MAX, d,
                [](std::string_view, const MetadataView&) { return false; });
  }
}

// What the filter rejects is reported (lines and line bytes), so that a query counts every line
// scanned: returned + reported = every entry in range, in blocks rather than line by line.
TYPED_TEST(IteratorConformanceTest, LineFilterReportsWhatItDrops) {
  auto entries = this->Entries(600);
  this->factory_.Load(entries);

  struct Reported {
    std::atomic<int64_t> lines{0}, bytes{0}, calls{0};
  };

  for (bool keep_sevens : {true, false}) {
    for (auto [s, e] : std::vector<std::pair<int64_t, int64_t>>{
             {INT64_MIN, INT64_MAX}, {2000, 4000}, {1003, 1004}, {7000, 9000}}) {
      for (Direction d : {Direction::kForward, Direction::kBackward}) {
        SCOPED_TRACE(::testing::Message()
                     << keep_sevens << " " << s << ".." << e << " " << static_cast<int>(d));
        auto reported = std::make_shared<Reported>();
        LineFilterFn filter(
            [keep_sevens](std::string_view line, const MetadataView&) {
              return keep_sevens && line.find('7') != std::string_view::npos;
            },
            [reported](int64_t lines, int64_t bytes) {
              reported->lines += lines;
              reported->bytes += bytes;
              ++reported->calls;
            });
        int64_t in_range = 0, in_range_bytes = 0, returned = 0, returned_bytes = 0;
        for (const OwnedEntry& x : Expected(entries, s, e, d)) {
          ++in_range;
          in_range_bytes += static_cast<int64_t>(x.line.size());
        }
        auto it = this->factory_.New(s, e, d, filter);
        while (it->Next()) {
          ++returned;
          returned_bytes += static_cast<int64_t>(it->At().line.size());
        }
        EXPECT_THAT(it->status(), IsOk());
        it.reset();
        EXPECT_EQ(returned + reported->lines, in_range);
        EXPECT_EQ(returned_bytes + reported->bytes, in_range_bytes);
        if (reported->lines >= 100) {
          EXPECT_LE(reported->calls * 10, reported->lines) << "reported line by line";
        }
      }
    }
  }
  // A reader given up early reports no more than the filter rejects in all.
  auto reported = std::make_shared<Reported>();
  LineFilterFn sevens([](std::string_view line,
                         const MetadataView&) { return line.find('7') != std::string_view::npos; },
                      [reported](int64_t lines, int64_t bytes) {
                        reported->lines += lines;
                        reported->bytes += bytes;
                      });
  auto it = this->factory_.New(INT64_MIN, INT64_MAX, Direction::kForward, sevens);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(it->Next());
  it.reset();
  const int64_t rejected = std::count_if(entries.begin(), entries.end(), [](const OwnedEntry& x) {
    return x.line.find('7') == std::string::npos;
  });
  EXPECT_LE(reported->lines, rejected);
}

TYPED_TEST(IteratorConformanceTest, Empty) {
  std::vector<OwnedEntry> none;
  this->factory_.Load(none);
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    this->Check(none, INT64_MIN, INT64_MAX, d);
  }
}

}  // namespace
}  // namespace sluice::chunks
