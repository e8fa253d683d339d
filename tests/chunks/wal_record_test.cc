#include "chunks/wal_record.h"

#include <gtest/gtest.h>

#include "chunks/wal_format.h"
#include "test_util.h"
#include "testing/status_matchers.h"

namespace sluice::chunks::wal {
namespace {

using sluice::testing::IsOk;
using sluice::testing::StatusIs;

struct Recorder : RecordVisitor {
  void OnSegmentHeader(uint64_t segment, uint8_t version) override {
    log.push_back("header " + std::to_string(segment) + " v" + std::to_string(version));
  }

  void OnSeries(std::string_view tenant, uint64_t fp, Labels labels) override {
    log.push_back("series " + std::string(tenant) + " " + std::to_string(fp) + " " +
                  labels.ToString());
  }

  void OnEntries(std::string_view tenant, uint64_t fp, uint64_t first_seq,
                 std::span<const Entry> e) override {
    log.push_back("entries " + std::string(tenant) + " " + std::to_string(fp) + " " +
                  std::to_string(first_seq) + " n=" + std::to_string(e.size()));
    for (const Entry& x : e) {
      entries.push_back(OwnedEntry{x.timestamp_ns, std::string(x.line),
                                   std::vector<Label>(x.metadata.begin(), x.metadata.end())});
    }
  }

  void OnFlushed(std::string_view tenant, uint64_t fp, uint64_t first, uint64_t through,
                 std::string_view key) override {
    log.push_back("flushed " + std::string(tenant) + " " + std::to_string(fp) + " " +
                  std::to_string(first) + ".." + std::to_string(through) + " " + std::string(key));
  }

  std::vector<std::string> log;
  std::vector<OwnedEntry> entries;
};

TEST(WalRecordTest, SimpleRecordsRoundTrip) {
  Recorder r;
  std::string rec;
  EncodeSegmentHeader(42, &rec);
  ASSERT_THAT(DecodeRecord(rec, &r), IsOk());
  rec.clear();
  EncodeSeries("t", 7, Labels::FromPairs({{"a", "b"}}), &rec);
  ASSERT_THAT(DecodeRecord(rec, &r), IsOk());
  rec.clear();
  EncodeFlushed("t", 7, 3, 9, "t/key", &rec);
  ASSERT_THAT(DecodeRecord(rec, &r), IsOk());
  EXPECT_EQ(r.log, (std::vector<std::string>{"header 42 v1", "series t 7 {a=\"b\"}",
                                             "flushed t 7 3..9 t/key"}));
}

class WalEntriesTest : public ::testing::TestWithParam<int> {};

TEST_P(WalEntriesTest, EntriesRoundTripCompressedOrNot) {
  auto a = testing::MakeEntries(500, 100, -3, 1);  // decreasing timestamps: negative deltas
  auto b = testing::MakeEntries(2, 5, 1, 2);
  EntriesRecordBuilder builder;
  builder.Reset("tenant");
  builder.BeginStream(11, 100, static_cast<uint32_t>(a.size()));
  for (const auto& e : a) {
    builder.AddEntry(e.view());
  }
  builder.BeginStream(12, 1, static_cast<uint32_t>(b.size()));
  for (const auto& e : b) {
    builder.AddEntry(e.view());
  }
  std::string rec;
  ASSERT_THAT(builder.Finish(GetParam(), &rec), IsOk());
  EXPECT_EQ(static_cast<uint8_t>(rec[8]), GetParam() > 0 ? kCodecZstd : kCodecRaw);
  Recorder r;
  ASSERT_THAT(DecodeRecord(rec, &r), IsOk());
  EXPECT_EQ(r.log,
            (std::vector<std::string>{"entries tenant 11 100 n=500", "entries tenant 12 1 n=2"}));
  auto want = a;
  want.insert(want.end(), b.begin(), b.end());
  EXPECT_EQ(r.entries, want);
  // Any truncation is Corruption and reaches the visitor not at all.
  for (size_t n = 1; n < rec.size(); n += 97) {
    Recorder t;
    EXPECT_THAT(DecodeRecord(rec.substr(0, n), &t), StatusIs(StatusCode::kCorruption, "")) << n;
    EXPECT_TRUE(t.log.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, WalEntriesTest, ::testing::Values(0, 1));

TEST(WalRecordTest, UnknownTypes) {
  Recorder r;
  std::string skip_safe = {static_cast<char>(kSkipSafeBit | 0x11), 'x'};
  EXPECT_THAT(DecodeRecord(skip_safe, &r), IsOk());
  std::string unsafe = {0x11, 'x'};
  EXPECT_THAT(DecodeRecord(unsafe, &r), StatusIs(StatusCode::kFailedPrecondition, "unknown"));
  std::string header;
  EncodeSegmentHeader(1, &header);
  header[1 + kWalMagic.size()] = 9;
  EXPECT_THAT(DecodeRecord(header, &r), StatusIs(StatusCode::kFailedPrecondition, "version"));
  EXPECT_TRUE(r.log.empty());
}

}  // namespace
}  // namespace sluice::chunks::wal
