#include "chunks/wal_framing.h"

#include <algorithm>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "common/mem_file_system.h"
#include "testing/status_matchers.h"

namespace sluice::chunks::wal {
namespace {

using sluice::testing::IsOk;

class CountingReporter : public FragmentReader::Reporter {
 public:
  void Corruption(uint64_t bytes, const Status&) override {
    ++count;
    dropped += bytes;
  }

  int count = 0;
  uint64_t dropped = 0;
};

std::string Record(size_t i, size_t size) {
  std::string r(size, '\0');
  for (size_t k = 0; k < size; ++k) {
    r[k] = static_cast<char>('a' + (i * 7 + k) % 26);
  }
  return r;
}

class WalFramingTest : public ::testing::Test {
 protected:
  std::string Frame(const std::vector<std::string>& records) {
    FragmentWriter w;
    std::string out;
    for (const auto& r : records) {
      w.AddRecord(r, &out);
    }
    return out;
  }

  std::vector<std::string> ReadAll(const std::string& bytes, CountingReporter* reporter) {
    EXPECT_THAT(WriteFileAtomically(fs_.get(), "/log", bytes), IsOk());
    auto file = fs_->NewSequentialFile("/log");
    EXPECT_THAT(file, IsOk());
    FragmentReader reader(file->get(), reporter);
    std::vector<std::string> out;
    std::string_view rec;
    std::string scratch;
    while (reader.ReadRecord(&rec, &scratch)) {
      out.emplace_back(rec);
    }
    return out;
  }

  std::unique_ptr<FileSystem> fs_ = NewMemFileSystem();
};

TEST_F(WalFramingTest, RoundTripAcrossPages) {
  std::vector<std::string> records;
  std::mt19937 rng(3);
  for (size_t i = 0; i < 200; ++i) {
    size_t size = i % 10 == 0 ? 100000 : rng() % 3000;  // some span several pages
    records.push_back(Record(i, size));
  }
  records.push_back("");
  CountingReporter rep;
  EXPECT_EQ(ReadAll(Frame(records), &rep), records);
  EXPECT_EQ(rep.count, 0);
}

TEST_F(WalFramingTest, PageTrailerIsPadded) {
  // A record leaving fewer than 7 bytes in a page forces zero padding before the next header.
  std::vector<std::string> records = {Record(0, kPageSize - kFragmentHeaderSize - 3), "next"};
  std::string bytes = Frame(records);
  EXPECT_EQ(bytes.size(), kPageSize + kFragmentHeaderSize + 4);
  CountingReporter rep;
  EXPECT_EQ(ReadAll(bytes, &rep), records);
}

TEST_F(WalFramingTest, TornTailIsCutAtLastGoodRecord) {
  std::vector<std::string> records;
  for (size_t i = 0; i < 50; ++i) {
    records.push_back(Record(i, 1000 + i * 37));
  }
  std::string bytes = Frame(records);
  size_t last_start = Frame(std::vector<std::string>(records.begin(), records.end() - 1)).size();
  for (size_t cut : {last_start + 1, last_start + 6, last_start + 7, bytes.size() - 1}) {
    CountingReporter rep;
    auto got = ReadAll(bytes.substr(0, cut), &rep);
    EXPECT_EQ(got, std::vector<std::string>(records.begin(), records.end() - 1)) << cut;
    EXPECT_GE(rep.count, 1) << cut;
  }
}

TEST_F(WalFramingTest, CorruptMiddleSkipsOnlyDamagedRecords) {
  std::vector<std::string> records;
  for (size_t i = 0; i < 300; ++i) {
    records.push_back(Record(i, 500));
  }
  std::string bytes = Frame(records);
  bytes[kPageSize + 100] ^= 0x10;  // inside the second page
  CountingReporter rep;
  auto got = ReadAll(bytes, &rep);
  // The damaged page, then possibly the tail of a record whose start was in it.
  EXPECT_GE(rep.count, 1);
  EXPECT_LE(rep.count, 2);
  // Everything before the damaged page and after it is still there.
  ASSERT_GT(got.size(), 200u);
  EXPECT_LT(got.size(), records.size());
  EXPECT_EQ(got.front(), records.front());
  EXPECT_EQ(got.back(), records.back());
  for (const auto& r : got) {
    EXPECT_NE(std::find(records.begin(), records.end(), r), records.end());
  }
}

TEST_F(WalFramingTest, CorruptFragmentOfSpanningRecordDropsWholeRecord) {
  std::vector<std::string> records = {Record(0, 10), Record(1, 3 * kPageSize), Record(2, 10)};
  std::string bytes = Frame(records);
  bytes[kPageSize + 50] ^= 0x01;  // a middle fragment of record 1
  CountingReporter rep;
  auto got = ReadAll(bytes, &rep);
  EXPECT_EQ(got, (std::vector<std::string>{records[0], records[2]}));
  EXPECT_GE(rep.count, 1);
}

TEST_F(WalFramingTest, GarbageNeverCrashes) {
  std::mt19937 rng(9);
  for (int round = 0; round < 50; ++round) {
    std::string bytes(rng() % (3 * kPageSize), '\0');
    for (auto& c : bytes) {
      c = static_cast<char>(rng());
    }
    CountingReporter rep;
    ReadAll(bytes, &rep);
  }
}

}  // namespace
}  // namespace sluice::chunks::wal
