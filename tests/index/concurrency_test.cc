// AddStream from several threads while others query: no lost counts, no torn results.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "index/index.h"
#include "index_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::index::testing {
namespace {

using ::sluice::testing::IsOk;

TEST_F(IndexTest, ConcurrentAddsAndQueries) {
  IndexOptions o = Options();
  o.max_dirty_counters = 16;  // exercise the automatic flush under contention
  Reopen(o);
  constexpr int kWriters = 4;
  constexpr int kStreamsPerWriter = 50;
  constexpr int kRounds = 20;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int r = 0; r < kRounds; ++r) {
        for (int s = 0; s < kStreamsPerWriter; ++s) {
          // Streams shared by all writers (s) and private to this one (w).
          Labels ls = Labels::FromPairs({{"s", std::to_string(s)}, {"w", std::to_string(w % 2)}});
          if (!index_->AddStream("t", ls.Hash(), ls, kDay0 + kHour, 1, 3).ok()) {
            ++failures;
          }
        }
        if (r % 5 == 0 && !index_->Flush().ok()) {
          ++failures;
        }
      }
    });
  }
  std::thread reader([&] {
    while (!done.load()) {
      auto sel = index_->SelectStreams("t", {Re("s", ".+")}, kDay0, kDay0 + kDay);
      auto vals = index_->LabelValues("t", "s", kDay0, kDay0 + kDay, {});
      auto st = index_->Stats("t", {}, kDay0, kDay0 + kDay);
      if (!sel.ok() || !vals.ok() || !st.ok()) {
        ++failures;
      }
      if (sel.ok() && sel->size() > 2 * kStreamsPerWriter) {
        ++failures;
      }
    }
  });
  for (auto& t : writers) {
    t.join();
  }
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  auto s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->streams, 2u * kStreamsPerWriter);
  EXPECT_EQ(s->entries, uint64_t{kWriters} * kStreamsPerWriter * kRounds);
  EXPECT_EQ(s->bytes, 3u * kWriters * kStreamsPerWriter * kRounds);
  Reopen(o);
  s = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, uint64_t{kWriters} * kStreamsPerWriter * kRounds);
}

}  // namespace
}  // namespace sluice::index::testing
