#include "server/request_params.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1717000000 * kSec;

HttpRequest WithParams(KeyValues params) {
  HttpRequest r;
  r.params = std::move(params);
  return r;
}

TEST(RequestParamsTest, TenantFromHeaderOrDefault) {
  HttpRequest r;
  EXPECT_EQ(*ResolveTenant(r, false, "fake"), "fake");
  EXPECT_THAT(ResolveTenant(r, true, "fake"), StatusIs(StatusCode::kUnauthenticated, "no org id"));
  r.headers = {{"x-scope-orgid", "team-a"}};
  EXPECT_EQ(*ResolveTenant(r, false, "fake"), "team-a");
  EXPECT_EQ(*ResolveTenant(r, true, "fake"), "team-a");
  r.headers = {{"x-scope-orgid", "../etc"}};
  EXPECT_THAT(ResolveTenant(r, false, "fake"),
              StatusIs(StatusCode::kInvalidArgument, "unsupported character '/'"));
  r.headers = {{"x-scope-orgid", ".."}};
  EXPECT_THAT(ResolveTenant(r, false, "fake"),
              StatusIs(StatusCode::kInvalidArgument, "'.' or '..'"));
  r.headers = {{"x-scope-orgid", std::string(151, 'a')}};
  EXPECT_THAT(ResolveTenant(r, false, "fake"), StatusIs(StatusCode::kInvalidArgument, "too long"));
}

TEST(RequestParamsTest, DefaultRangeIsLastHour) {
  auto r = ParseTimeRange(HttpRequest{}, kNow);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->end_ns, kNow);
  EXPECT_EQ(r->start_ns, kNow - 3600 * kSec);
}

TEST(RequestParamsTest, TimeFormsFollowLokiRules) {
  auto r = ParseTimeRange(WithParams({{"start", "1700000000"}, {"end", "1700000000.5"}}), kNow);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->start_ns, 1700000000 * kSec);
  EXPECT_EQ(r->end_ns, 1700000000 * kSec + kSec / 2);
  r = ParseTimeRange(
      WithParams({{"start", "1700000000123456789"}, {"end", "2023-11-14T22:13:20Z"}}), kNow);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->start_ns, 1700000000123456789);
  EXPECT_EQ(r->end_ns, 1700000000 * kSec);
  EXPECT_THAT(ParseTimeRange(WithParams({{"start", "yesterday"}}), kNow),
              StatusIs(StatusCode::kInvalidArgument, "could not parse 'start' parameter"));
}

TEST(RequestParamsTest, SinceAndFutureEnd) {
  auto r = ParseTimeRange(WithParams({{"since", "5m"}}), kNow);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->start_ns, kNow - 300 * kSec);
  // An end in the future: start counts back from now.
  r = ParseTimeRange(WithParams({{"end", std::to_string(kNow + 7200 * kSec)}}), kNow);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->start_ns, kNow - 3600 * kSec);
  EXPECT_THAT(ParseTimeRange(WithParams({{"since", "soon"}}), kNow),
              StatusIs(StatusCode::kInvalidArgument, "since"));
}

TEST(RequestParamsTest, Limit) {
  EXPECT_EQ(*ParseLimit(HttpRequest{}, 100, 5000), 100u);
  EXPECT_EQ(*ParseLimit(WithParams({{"limit", "5000"}}), 100, 5000), 5000u);
  EXPECT_THAT(ParseLimit(WithParams({{"limit", "0"}}), 100, 5000),
              StatusIs(StatusCode::kInvalidArgument, "limit must be a positive value"));
  EXPECT_THAT(ParseLimit(WithParams({{"limit", "-3"}}), 100, 5000),
              StatusIs(StatusCode::kInvalidArgument, "limit must be a positive value"));
  EXPECT_THAT(ParseLimit(WithParams({{"limit", "5001"}}), 100, 5000),
              StatusIs(StatusCode::kInvalidArgument,
                       "max entries limit per query exceeded, limit > "
                       "max_entries_limit_per_query (5001 > 5000)"));
  EXPECT_THAT(ParseLimit(WithParams({{"limit", "ten"}}), 100, 5000),
              StatusIs(StatusCode::kInvalidArgument, "invalid syntax"));
}

TEST(RequestParamsTest, DirectionIsCaseInsensitive) {
  EXPECT_EQ(*ParseDirection(HttpRequest{}), Direction::kBackward);
  EXPECT_EQ(*ParseDirection(WithParams({{"direction", "FORWARD"}})), Direction::kForward);
  EXPECT_EQ(*ParseDirection(WithParams({{"direction", "Backward"}})), Direction::kBackward);
  EXPECT_THAT(ParseDirection(WithParams({{"direction", "sideways"}})),
              StatusIs(StatusCode::kInvalidArgument, "invalid direction 'sideways'"));
}

TEST(RequestParamsTest, Durations) {
  EXPECT_EQ(*ParseDurationParam(WithParams({{"step", "15"}}), "step"), 15 * kSec);
  EXPECT_EQ(*ParseDurationParam(WithParams({{"step", "250ms"}}), "step"), kSec / 4);
  EXPECT_EQ(*ParseDurationParam(WithParams({{"step", "0.5"}}), "step"), kSec / 2);
  EXPECT_EQ(*ParseDurationParam(HttpRequest{}, "step"), 0);
  EXPECT_THAT(ParseDurationParam(WithParams({{"step", "x"}}), "step"),
              StatusIs(StatusCode::kInvalidArgument, "cannot parse \"x\" to a valid duration"));
}

TEST(RequestParamsTest, GoDurationFormat) {
  EXPECT_EQ(FormatGoDuration(721LL * 3600 * kSec), "721h0m0s");
  EXPECT_EQ(FormatGoDuration(90 * kSec), "1m30s");
  EXPECT_EQ(FormatGoDuration(kSec + kSec / 2), "1.5s");
  EXPECT_EQ(FormatGoDuration(250'000'000), "250ms");
  EXPECT_EQ(FormatGoDuration(0), "0s");
}

}  // namespace
}  // namespace sluice::server
