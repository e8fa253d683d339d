#include "common/time_util.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice {
namespace {

TEST(ParseLokiTimeTest, Forms) {
  EXPECT_EQ(*ParseLokiTime("1700000000"), 1700000000LL * kNanosPerSecond);
  EXPECT_EQ(*ParseLokiTime("4000000000"), 4000000000LL * kNanosPerSecond);  // Grafana's 2096
  EXPECT_EQ(*ParseLokiTime("1700000000123456789"), 1700000000123456789LL);
  EXPECT_EQ(*ParseLokiTime("1700000000.5"), 1700000000500000000LL);
  EXPECT_EQ(*ParseLokiTime("2023-11-14T22:13:20Z"), 1700000000LL * kNanosPerSecond);
  EXPECT_EQ(*ParseLokiTime("2023-11-14T23:13:20.25+01:00"), 1700000000250000000LL);
  EXPECT_FALSE(ParseLokiTime("yesterday").ok());
  EXPECT_FALSE(ParseLokiTime("").ok());
  EXPECT_FALSE(ParseLokiTime("2023-13-14T22:13:20Z").ok());
  // Out of int64 nanoseconds: an error, not an overflow (found by the CRI decoder fuzzer).
  EXPECT_FALSE(ParseLokiTime("2324-01-02T03:08:05Z").ok());
  EXPECT_FALSE(ParseLokiTime("9999999999").ok());
  EXPECT_FALSE(ParseLokiTime("9999999999.5").ok());
}

TEST(DurationTest, Prometheus) {
  EXPECT_EQ(*ParsePromDuration("5m"), 300 * kNanosPerSecond);
  EXPECT_EQ(*ParsePromDuration("1h30m"), 5400 * kNanosPerSecond);
  EXPECT_EQ(*ParsePromDuration("1d"), 86400 * kNanosPerSecond);
  EXPECT_EQ(*ParsePromDuration("250ms"), 250 * kNanosPerMilli);
  EXPECT_FALSE(ParsePromDuration("30m1h").ok());
  EXPECT_FALSE(ParsePromDuration("5").ok());
  EXPECT_FALSE(ParsePromDuration("5x").ok());
}

TEST(DurationTest, GoAndSeconds) {
  EXPECT_EQ(*ParseGoDuration("1.5h"), 5400 * kNanosPerSecond);
  EXPECT_EQ(*ParseGoDuration("300ms"), 300 * kNanosPerMilli);
  EXPECT_EQ(*ParseGoDuration("-2m"), -120 * kNanosPerSecond);
  EXPECT_EQ(*ParseDurationOrSeconds("15"), 15 * kNanosPerSecond);
  EXPECT_EQ(*ParseDurationOrSeconds("0.5"), kNanosPerSecond / 2);
  EXPECT_EQ(*ParseDurationOrSeconds("1m"), 60 * kNanosPerSecond);
  EXPECT_EQ(*ParseDurationOrSeconds("1d"), 86400 * kNanosPerSecond);
  EXPECT_FALSE(ParseDurationOrSeconds("abc").ok());
}

TEST(FormatTest, RFC3339NanoAndDurations) {
  EXPECT_EQ(FormatRFC3339Nano(1700000000LL * kNanosPerSecond), "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatRFC3339Nano(1700000000120000000LL), "2023-11-14T22:13:20.12Z");
  EXPECT_EQ(FormatPromDuration(5400 * kNanosPerSecond), "1h30m");
  EXPECT_EQ(FormatPromDuration(300 * kNanosPerMilli), "300ms");
  EXPECT_EQ(FormatPromDuration(721LL * 3600 * kNanosPerSecond), "30d1h");
  EXPECT_EQ(FormatPromDuration(14LL * 86400 * kNanosPerSecond), "2w");
}

}  // namespace
}  // namespace sluice
