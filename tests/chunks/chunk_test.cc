#include "chunks/chunk.h"

#include <gtest/gtest.h>

#include "chunks/chunk_format.h"
#include "test_util.h"
#include "testing/status_matchers.h"

namespace sluice::chunks {
namespace {

using sluice::testing::IsOk;
using sluice::testing::StatusIs;
using testing::Drain;
using testing::Expected;
using testing::MakeEntries;

const Labels kLabels = Labels::FromPairs({{"app", "api"}, {"env", "prod"}});

std::string Build(const std::vector<OwnedEntry>& entries, size_t block_bytes = 4096) {
  ChunkBuilder b("tenant-a", kLabels.Hash(), kLabels, ChunkBuilder::Options{block_bytes, 3});
  for (const OwnedEntry& e : entries) {
    std::string md;
    if (!e.metadata.empty()) {
      EncodeMetadata(e.metadata, &md);
    }
    b.Add(e.timestamp_ns, e.line, md);
  }
  Result<std::string> out = b.Finish();
  EXPECT_THAT(out, IsOk());
  return out.ok() ? *out : std::string();
}

TEST(ChunkTest, RoundTripForwardAndBackward) {
  auto entries = MakeEntries(2000);
  auto chunk = Chunk::Parse(Build(entries));
  ASSERT_THAT(chunk, IsOk());
  EXPECT_EQ((*chunk)->tenant(), "tenant-a");
  EXPECT_EQ((*chunk)->labels(), kLabels);
  EXPECT_EQ((*chunk)->fp(), kLabels.Hash());
  EXPECT_GT((*chunk)->blocks().size(), 3u);
  EXPECT_EQ((*chunk)->entries(), 2000u);
  EXPECT_EQ((*chunk)->from_ns(), entries.front().timestamp_ns);
  EXPECT_EQ((*chunk)->through_ns(), entries.back().timestamp_ns);
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    auto it = NewChunkIterator(*chunk, INT64_MIN, INT64_MAX, d);
    Status st;
    EXPECT_EQ(Drain(it.get(), &st), Expected(entries, INT64_MIN, INT64_MAX, d));
    EXPECT_THAT(st, IsOk());
    EXPECT_EQ(it->StreamLabels(), kLabels);
  }
}

TEST(ChunkTest, RangesSelectOnlyOverlappingEntries) {
  auto entries = MakeEntries(1000);
  auto chunk = Chunk::Parse(Build(entries));
  ASSERT_THAT(chunk, IsOk());
  for (auto [start, end] : std::vector<std::pair<int64_t, int64_t>>{
           {1000, 1010}, {1005, 5005}, {0, 1000}, {10990, 20000}, {4000, 4000}, {2345, 9876}}) {
    for (Direction d : {Direction::kForward, Direction::kBackward}) {
      auto it = NewChunkIterator(*chunk, start, end, d);
      EXPECT_EQ(Drain(it.get()), Expected(entries, start, end, d)) << start << ".." << end;
    }
  }
}

TEST(ChunkTest, DecompressesOnlyOverlappingBlocks) {
  auto entries = MakeEntries(1000);
  std::string bytes = Build(entries);
  auto parsed = Chunk::Parse(bytes);
  ASSERT_THAT(parsed, IsOk());
  // Corrupt the last block: a query for the first entries must not notice.
  const BlockInfo& last = (*parsed)->blocks().back();
  bytes[last.offset + last.compressed / 2] ^= 0x40;
  auto chunk = Chunk::Parse(bytes);
  ASSERT_THAT(chunk, IsOk());
  auto it = NewChunkIterator(*chunk, 0, 1100, Direction::kForward);
  Status st;
  EXPECT_EQ(Drain(it.get(), &st).size(), 10u);
  EXPECT_THAT(st, IsOk());
  auto all = NewChunkIterator(*chunk, 0, INT64_MAX, Direction::kForward);
  Drain(all.get(), &st);
  EXPECT_THAT(st, StatusIs(StatusCode::kCorruption, "checksum"));
}

TEST(ChunkTest, EveryFlippedByteIsDetected) {
  auto entries = MakeEntries(300);
  std::string good = Build(entries, 2048);
  // Flip each byte in turn (header, blocks, meta, footer): either Parse fails or iteration
  // reports corruption; never a crash, never silently different data.
  for (size_t i = 0; i < good.size(); i += (i < 64 || i + 64 > good.size()) ? 1 : 7) {
    std::string bad = good;
    bad[i] ^= 0x01;
    auto chunk = Chunk::Parse(bad);
    if (!chunk.ok()) {
      EXPECT_EQ(chunk.status().code(), StatusCode::kCorruption) << i;
      continue;
    }
    auto it = NewChunkIterator(*chunk, INT64_MIN, INT64_MAX, Direction::kForward);
    Status st;
    auto got = Drain(it.get(), &st);
    EXPECT_FALSE(st.ok()) << "flip at " << i << " not detected";
  }
}

TEST(ChunkTest, TruncationAndVersionAreDetected) {
  std::string good = Build(MakeEntries(50));
  for (size_t n : {size_t{0}, size_t{5}, good.size() / 2, good.size() - 1}) {
    EXPECT_THAT(Chunk::Parse(good.substr(0, n)), StatusIs(StatusCode::kCorruption, "")) << n;
  }
  std::string v2 = good;
  v2[4] = 2;
  EXPECT_THAT(Chunk::Parse(v2), StatusIs(StatusCode::kCorruption, "version"));
}

TEST(ChunkTest, MetadataAndEmptyLinesSurvive) {
  std::vector<OwnedEntry> entries = {
      {5, "", {}},
      {5, "same ts", {{"a", "1"}}},
      {7, std::string(100000, 'z'), {{"k", std::string(300, 'v')}, {"z", ""}}},
  };
  auto chunk = Chunk::Parse(Build(entries, 16));
  ASSERT_THAT(chunk, IsOk());
  auto it = NewChunkIterator(*chunk, 0, 100, Direction::kForward);
  EXPECT_EQ(Drain(it.get()), entries);
}

TEST(ChunkKeyTest, RoundTrip) {
  std::string key =
      ChunkKey("t-1", 0xdeadbeef12345678, 1700000000000000000, 1700000000999999999, 0xabcdef01);
  EXPECT_EQ(key, "t-1/deadbeef12345678/17979cfe362a0000-17979cfe71c4c9ff-abcdef01");
  ParsedChunkKey k;
  ASSERT_TRUE(ParseChunkKey(key, &k));
  EXPECT_EQ(k.tenant, "t-1");
  EXPECT_EQ(k.fp, 0xdeadbeef12345678u);
  EXPECT_EQ(k.from_ns, 1700000000000000000);
  EXPECT_EQ(k.through_ns, 1700000000999999999);
  EXPECT_EQ(k.crc, 0xabcdef01u);
  EXPECT_FALSE(ParseChunkKey(key + ".tmp", &k));
  EXPECT_FALSE(ParseChunkKey("t/1/2-3-4", &k));
}

}  // namespace
}  // namespace sluice::chunks
