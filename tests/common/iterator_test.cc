#include "common/iterator.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

std::vector<OwnedEntry> Entries(std::initializer_list<int64_t> ts) {
  std::vector<OwnedEntry> out;
  for (int64_t t : ts) out.push_back(OwnedEntry{t, "line" + std::to_string(t), {}});
  return out;
}

std::vector<int64_t> Drain(EntryIterator* it) {
  std::vector<int64_t> out;
  while (it->Next()) out.push_back(it->At().timestamp_ns);
  EXPECT_TRUE(it->status().ok());
  return out;
}

TEST(IteratorTest, MergeForward) {
  std::vector<std::unique_ptr<EntryIterator>> in;
  in.push_back(NewVectorEntryIterator(Labels::FromPairs({{"a", "1"}}), Entries({1, 4, 7}),
                                      Direction::kForward));
  in.push_back(NewVectorEntryIterator(Labels::FromPairs({{"a", "2"}}), Entries({2, 4, 9}),
                                      Direction::kForward));
  in.push_back(NewEmptyEntryIterator());
  auto it = NewMergingEntryIterator(std::move(in), Direction::kForward);
  EXPECT_EQ(Drain(it.get()), (std::vector<int64_t>{1, 2, 4, 4, 7, 9}));
}

TEST(IteratorTest, MergeBackwardTieBreaksByLabels) {
  std::vector<std::unique_ptr<EntryIterator>> in;
  in.push_back(NewVectorEntryIterator(Labels::FromPairs({{"a", "2"}}), Entries({5, 3}),
                                      Direction::kBackward));
  in.push_back(NewVectorEntryIterator(Labels::FromPairs({{"a", "1"}}), Entries({5, 1}),
                                      Direction::kBackward));
  auto it = NewMergingEntryIterator(std::move(in), Direction::kBackward);
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->StreamLabels().Get("a"), "1");
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->StreamLabels().Get("a"), "2");
  EXPECT_EQ(Drain(it.get()), (std::vector<int64_t>{3, 1}));
}

TEST(IteratorTest, MergePropagatesError) {
  std::vector<std::unique_ptr<EntryIterator>> in;
  in.push_back(NewVectorEntryIterator(Labels(), Entries({1}), Direction::kForward));
  in.push_back(NewEmptyEntryIterator(CorruptionError("bad block")));
  auto it = NewMergingEntryIterator(std::move(in), Direction::kForward);
  while (it->Next()) {
  }
  EXPECT_EQ(it->status().code(), StatusCode::kCorruption);
}

TEST(IteratorTest, TimeRangeIsHalfOpen) {
  auto it = NewTimeRangeEntryIterator(
      NewVectorEntryIterator(Labels(), Entries({1, 2, 3, 4, 5}), Direction::kForward), 2, 4,
      Direction::kForward);
  EXPECT_EQ(Drain(it.get()), (std::vector<int64_t>{2, 3}));
  auto back = NewTimeRangeEntryIterator(
      NewVectorEntryIterator(Labels(), Entries({5, 4, 3, 2, 1}), Direction::kBackward), 2, 4,
      Direction::kBackward);
  EXPECT_EQ(Drain(back.get()), (std::vector<int64_t>{3, 2}));
}

}  // namespace
}  // namespace sluice
