#include "common/coding.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(CodingTest, VarintRoundTrip) {
  std::string buf;
  const uint64_t values[] = {0, 1, 127, 128, 300, 1ULL << 32, UINT64_MAX};
  for (uint64_t v : values) PutVarint64(&buf, v);
  std::string_view in = buf;
  for (uint64_t v : values) {
    uint64_t got;
    ASSERT_TRUE(GetVarint64(&in, &got));
    EXPECT_EQ(got, v);
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, SignedVarintRoundTrip) {
  std::string buf;
  const int64_t values[] = {0, -1, 1, -64, 64, INT64_MIN, INT64_MAX};
  for (int64_t v : values) PutVarsint64(&buf, v);
  std::string_view in = buf;
  for (int64_t v : values) {
    int64_t got;
    ASSERT_TRUE(GetVarsint64(&in, &got));
    EXPECT_EQ(got, v);
  }
}

TEST(CodingTest, TruncatedVarintFails) {
  std::string buf;
  PutVarint64(&buf, 1ULL << 40);
  std::string_view in(buf.data(), buf.size() - 1);
  uint64_t v;
  EXPECT_FALSE(GetVarint64(&in, &v));
}

TEST(CodingTest, LengthPrefixedRejectsOverlongLength) {
  std::string buf;
  PutVarint64(&buf, 100);
  buf += "short";
  std::string_view in = buf, out;
  EXPECT_FALSE(GetLengthPrefixed(&in, &out));
}

TEST(Crc32cTest, KnownValues) {
  // Test vectors from RFC 3720 B.4.
  char zeros[32] = {};
  EXPECT_EQ(crc32c::Value(zeros, sizeof(zeros)), 0x8a9136aau);
  EXPECT_EQ(crc32c::Value("123456789"), 0xe3069283u);
  EXPECT_EQ(crc32c::Extend(crc32c::Value("1234"), "56789", 5), 0xe3069283u);
}

TEST(Crc32cTest, MaskRoundTrip) {
  uint32_t crc = crc32c::Value("foo");
  EXPECT_NE(crc32c::Mask(crc), crc);
  EXPECT_EQ(crc32c::Unmask(crc32c::Mask(crc)), crc);
}

}  // namespace
}  // namespace sluice
