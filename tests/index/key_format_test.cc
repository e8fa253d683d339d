#include "index/key_format.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::index::keys {
namespace {

using ::sluice::testing::StatusIs;

TEST(KeyFormatTest, StringRoundTripsIncludingNulBytes) {
  for (std::string s :
       {std::string(), std::string("abc"), std::string("a\0b", 3), std::string("\0", 1),
        std::string("\0\x01", 2), std::string("\xff\0\xff", 3)}) {
    std::string enc;
    AppendString(&enc, s);
    enc += "tail";
    std::string_view in = enc;
    std::string out;
    ASSERT_TRUE(ConsumeString(&in, &out));
    EXPECT_EQ(out, s);
    EXPECT_EQ(in, "tail");
  }
}

TEST(KeyFormatTest, StringEncodingPreservesOrderAndIsPrefixFree) {
  std::vector<std::string> values = {"",  "a",    std::string("a\0", 2), "a\x01", "ab",
                                     "b", "\xff", std::string("\0", 1),  "aa"};
  std::sort(values.begin(), values.end());
  std::vector<std::string> encoded;
  for (const auto& v : values) {
    std::string e;
    AppendString(&e, v);
    encoded.push_back(e);
  }
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
  for (size_t i = 0; i < encoded.size(); ++i) {
    for (size_t j = 0; j < encoded.size(); ++j) {
      if (i == j) {
        continue;
      }
      EXPECT_FALSE(encoded[j].starts_with(encoded[i])) << i << " prefix of " << j;
    }
  }
}

TEST(KeyFormatTest, MalformedStringsAreRejected) {
  std::string out;
  for (std::string bad : {std::string("abc"), std::string("a\0", 2), std::string("a\0\x02", 3)}) {
    std::string_view in = bad;
    EXPECT_FALSE(ConsumeString(&in, &out)) << bad.size();
  }
}

TEST(KeyFormatTest, TenantPrefixesNeverNest) {
  // "a" is a string prefix of "ab", but its key prefix must not be one.
  EXPECT_FALSE(TenantPrefix(kStream, "ab").starts_with(TenantPrefix(kStream, "a")));
  EXPECT_FALSE(TenantPrefix(kStream, "a").starts_with(TenantPrefix(kStream, "")));
}

TEST(KeyFormatTest, SignedIntegersSortNumerically) {
  std::vector<int64_t> v = {std::numeric_limits<int64_t>::min(), -86400, -1, 0, 1, 19872,
                            std::numeric_limits<int64_t>::max()};
  std::string prev;
  for (int64_t x : v) {
    std::string e;
    AppendInt64(&e, x);
    EXPECT_LT(prev, e);
    prev = e;
    std::string_view in = e;
    int64_t back;
    ASSERT_TRUE(ConsumeInt64(&in, &back));
    EXPECT_EQ(back, x);
  }
}

TEST(KeyFormatTest, FloorDivRoundsDown) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(-8, 2), -4);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(kNanosPerDay), 1);
  EXPECT_EQ(DayOf(kNanosPerDay - 1), 0);
}

TEST(KeyFormatTest, LabelsRoundTripAndCorruptionIsDetected) {
  Labels ls = Labels::FromPairs({{"app", "api"}, {"env", std::string_view("p\0d", 3)}});
  std::string enc = EncodeLabels(ls);
  Result<Labels> back = DecodeLabels(enc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, ls);
  EXPECT_THAT(DecodeLabels(enc.substr(0, enc.size() - 1)),
              StatusIs(StatusCode::kCorruption, "truncated"));
  EXPECT_THAT(DecodeLabels(enc + "x"), StatusIs(StatusCode::kCorruption, "trailing"));
  EXPECT_THAT(DecodeLabels("\x7f"), StatusIs(StatusCode::kCorruption, "count"));
}

TEST(KeyFormatTest, CountsRoundTrip) {
  uint64_t e = 0, b = 0;
  ASSERT_TRUE(DecodeCounts(EncodeCounts(123, 1ull << 40), &e, &b));
  EXPECT_EQ(e, 123u);
  EXPECT_EQ(b, 1ull << 40);
  EXPECT_FALSE(DecodeCounts("", &e, &b));
}

TEST(KeyFormatTest, SlotsRoundTripAndTruncationIsDetected) {
  std::vector<SlotCounts> slots = {{0, 1, 10}, {5, 300, 1ull << 35}, {23, 0, 7}};
  std::string enc = EncodeSlots(slots);
  std::vector<SlotCounts> back;
  ASSERT_TRUE(DecodeSlots(enc, &back));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1].slot, 5u);
  EXPECT_EQ(back[1].entries, 300u);
  EXPECT_EQ(back[1].bytes, 1ull << 35);
  EXPECT_FALSE(DecodeSlots(enc.substr(0, enc.size() - 1), &back));
  EXPECT_FALSE(DecodeSlots(enc + "x", &back));
  EXPECT_TRUE(DecodeSlots(EncodeSlots({}), &back));
  EXPECT_TRUE(back.empty());
}

TEST(KeyFormatTest, SkipPastIsAfterEveryFingerprint) {
  std::string prefix = "P";
  std::string skip = SkipPast(prefix, 8);
  std::string max_key = prefix;
  AppendUint64(&max_key, std::numeric_limits<uint64_t>::max());
  EXPECT_LT(max_key, skip);
  std::string next_value = "Q";
  EXPECT_LT(skip, next_value);
}

}  // namespace
}  // namespace sluice::index::keys
