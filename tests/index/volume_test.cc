// Stats, Volume and VolumeRange from counters and chunk refs.
#include <functional>

#include <gtest/gtest.h>

#include "index/index.h"
#include "index_fixture.h"
#include "testing/status_matchers.h"

namespace sluice::index::testing {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

class VolumeTest : public IndexTest {
 protected:
  void SetUp() override {
    IndexTest::SetUp();
    // service_name api: two streams; web: one; batch: one without env.
    api_prod_ = Labels::FromPairs({{"service_name", "api"}, {"env", "prod"}});
    api_dev_ = Labels::FromPairs({{"service_name", "api"}, {"env", "dev"}});
    web_ = Labels::FromPairs({{"service_name", "web"}, {"env", "prod"}});
    batch_ = Labels::FromPairs({{"service_name", "batch"}});
    Add("t", api_prod_, kDay0 + kHour, 10, 1000);
    Add("t", api_dev_, kDay0 + kHour, 5, 500);
    Add("t", web_, kDay0 + 2 * kHour, 7, 700);
    Add("t", batch_, kDay0 + 3 * kHour, 1, 2000);
    Add("t", api_prod_, kDay0 + 3 * kHour, 1, 100);
    Add("other", api_prod_, kDay0 + kHour, 1000, 100000);
  }

  std::vector<std::pair<std::string, uint64_t>> Flat(const std::vector<VolumeItem>& items) {
    std::vector<std::pair<std::string, uint64_t>> out;
    for (const auto& i : items) {
      out.emplace_back(i.label_name.empty() ? i.labels.ToString() : i.label_name, i.bytes);
    }
    return out;
  }

  Labels api_prod_, api_dev_, web_, batch_;
};

using Items = std::vector<std::pair<std::string, uint64_t>>;

TEST_F(VolumeTest, StatsSumCountersOfMatchingStreams) {
  auto s = index_->Stats("t", {Eq("service_name", "api")}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->streams, 2u);
  EXPECT_EQ(s->entries, 16u);
  EXPECT_EQ(s->bytes, 1600u);
  EXPECT_EQ(s->chunks, 0u);
  auto all = index_->Stats("t", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->streams, 4u);
  EXPECT_EQ(all->entries, 24u);
  EXPECT_EQ(all->bytes, 4300u);
}

// With auto_flush off (the server pairs counters with a WAL watermark), reads see pending
// counters from memory, merged with the stored ones, and never write them.
TEST_F(VolumeTest, StatsReadPendingCountersWithoutPersistingThem) {
  ASSERT_THAT(index_->Flush(7), IsOk());  // the fixture's counters are stored
  IndexOptions o = Options();
  o.auto_flush = false;
  o.flush_on_close = false;
  Reopen(o);
  Add("t", api_prod_, kDay0 + kHour, 2, 20);     // pending on a stored counter key
  Add("t", api_prod_, kDay0 + kDay + 1, 3, 30);  // pending on a new key (next day)
  Add("t", web_, kDay0 - 1, 4, 40);              // before the range: not counted
  auto s = index_->Stats("t", {Eq("service_name", "api")}, kDay0, kDay0 + 2 * kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 16u + 2u + 3u);
  EXPECT_EQ(s->bytes, 1600u + 20u + 30u);
  auto v = index_->Volume("t", {Eq("service_name", "api")}, kDay0, kDay0 + 2 * kDay, {},
                          VolumeAggregation::kSeries, 0);
  ASSERT_THAT(v, IsOk());
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ((*v)[0].entries, 21u);
  Reopen(o);  // a crash: nothing pending was written by the reads
  EXPECT_EQ(index_->flushed_watermark(), 7u);
  s = index_->Stats("t", {Eq("service_name", "api")}, kDay0, kDay0 + 2 * kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 16u);
}

// A selective query over many streams skips the counter keys of other streams (with seeks);
// the sums must equal a reference computed while adding, for stored and pending counters,
// over several days, for sparse and dense selections.
TEST_F(VolumeTest, SelectiveStatsAndVolumeOverManyStreamsMatchAReference) {
  // Tenant "m": the fixture's streams are in "t".
  IndexOptions o = Options();
  o.auto_flush = false;
  Reopen(o);
  constexpr int kStreams = 300;
  auto labels = [](int i) {
    return Labels::FromPairs({{"pod", "p" + std::to_string(i)},
                              {"svc", "s" + std::to_string(i % 37)},
                              {"tier", i % 3 == 0 ? "a" : "b"}});
  };
  // (entries, bytes) per stream inside [kDay0, kDay0 + 3 days).
  std::vector<std::pair<uint64_t, uint64_t>> in_range(kStreams);
  auto add = [&](int i, int64_t ts, uint64_t n) {
    Add("m", labels(i), ts, n, 10 * n);
    if (ts >= kDay0 && ts < kDay0 + 3 * kDay) {
      in_range[i].first += n;
      in_range[i].second += 10 * n;
    }
  };
  for (int day = -1; day < 4; ++day) {
    for (int i = 0; i < kStreams; ++i) {
      if ((i + day) % 4 != 0)  // each day a different three quarters of the streams
        add(i, kDay0 + day * kDay + (i % 24) * kHour, static_cast<uint64_t>(i % 5 + 1));
    }
    if (day == 1) {
      ASSERT_THAT(index_->Flush(1), IsOk());  // days -1..1 stored, later days pending
    }
  }
  for (int i = 0; i < kStreams; i += 2)  // pending on top of stored keys
    add(i, kDay0 + kHour, 1);

  auto expect = [&](const Matchers& m, const std::function<bool(int)>& selected) {
    uint64_t streams = 0, entries = 0, bytes = 0;
    for (int i = 0; i < kStreams; ++i) {
      if (selected(i) && in_range[i].first > 0) {
        ++streams;
        entries += in_range[i].first;
        bytes += in_range[i].second;
      }
    }
    auto s = index_->Stats("m", m, kDay0, kDay0 + 3 * kDay);
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->streams, streams);
    EXPECT_EQ(s->entries, entries);
    EXPECT_EQ(s->bytes, bytes);
    auto v =
        index_->Volume("m", m, kDay0, kDay0 + 3 * kDay, {"pod"}, VolumeAggregation::kSeries, 0);
    ASSERT_THAT(v, IsOk());
    EXPECT_EQ(v->size(), streams);
    uint64_t volume_bytes = 0;
    for (const auto& item : *v)
      volume_bytes += item.bytes;
    EXPECT_EQ(volume_bytes, bytes);
  };
  expect({Eq("svc", "s7")}, [](int i) { return i % 37 == 7; });
  expect({Eq("pod", "p299")}, [](int i) { return i == 299; });
  expect({Eq("pod", "p0")}, [](int i) { return i == 0; });
  expect({Eq("tier", "a")}, [](int i) { return i % 3 == 0; });
  expect({Re("svc", "s(1|2|3).*")}, [](int i) {
    std::string v = std::to_string(i % 37);
    return v[0] == '1' || v[0] == '2' || v[0] == '3';
  });
  expect({}, [](int) { return true; });
}

TEST_F(VolumeTest, StatsOnlyCountBucketsOverlappingTheRange) {
  // Hour 1 only (buckets are 1 h): the api streams' first pushes.
  auto s = index_->Stats("t", {}, kDay0 + kHour, kDay0 + 2 * kHour);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->entries, 15u);
  EXPECT_EQ(s->bytes, 1500u);
  auto none = index_->Stats("t", {}, kDay0 + 5 * kHour, kDay0 + 6 * kHour);
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ(none->entries, 0u);
}

TEST_F(VolumeTest, StatsCountOverlappingChunksOfMatchingStreams) {
  uint64_t fp = api_prod_.Hash();
  ASSERT_THAT(index_->AddChunk({"t", fp, kDay0 + kHour, kDay0 + 2 * kHour, "c1", 10, 1000}),
              IsOk());
  ASSERT_THAT(index_->AddChunk({"t", fp, kDay0 + 3 * kHour, kDay0 + 4 * kHour, "c2", 1, 100}),
              IsOk());
  ASSERT_THAT(index_->AddChunk({"t", web_.Hash(), kDay0, kDay0 + kHour, "c3", 1, 1}), IsOk());
  auto s = index_->Stats("t", {Eq("env", "prod")}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->chunks, 3u);
  s = index_->Stats("t", {Eq("service_name", "api")}, kDay0 + 3 * kHour, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->chunks, 1u);
}

TEST_F(VolumeTest, ChunkCountsSkipStreamsWithoutChunksAndOtherTenants) {
  // Chunks on streams interleaved with selected ones in fingerprint order, and a selected
  // stream with chunks only outside the range.
  std::vector<Labels> many;
  for (int i = 0; i < 40; ++i) {
    many.push_back(Labels::FromPairs({{"service_name", "m"}, {"i", std::to_string(i)}}));
    Add("t", many.back(), kDay0 + kHour);
  }
  uint64_t expected = 0;
  for (int i = 0; i < 40; ++i) {
    const uint64_t fp = many[i].Hash();
    if (i % 3 == 0) {  // two chunks in range
      ASSERT_THAT(index_->AddChunk({"t", fp, kDay0, kDay0 + kHour, "a" + std::to_string(i), 1, 1}),
                  IsOk());
      ASSERT_THAT(index_->AddChunk(
                      {"t", fp, kDay0 + kHour, kDay0 + 2 * kHour, "b" + std::to_string(i), 1, 1}),
                  IsOk());
      expected += 2;
    } else if (i % 3 == 1) {  // one chunk after the range
      ASSERT_THAT(index_->AddChunk({"t", fp, kDay0 + 5 * kHour, kDay0 + 6 * kHour,
                                    "c" + std::to_string(i), 1, 1}),
                  IsOk());
    }
    ASSERT_THAT(index_->AddChunk({"t2", fp, kDay0, kDay0 + kHour, "o" + std::to_string(i), 1, 1}),
                IsOk());
  }
  auto s = index_->Stats("t", {Eq("service_name", "m")}, kDay0, kDay0 + 3 * kHour);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->streams, 40u);
  EXPECT_EQ(s->chunks, expected);
  // Only every other stream selected.
  s = index_->Stats("t", {Eq("service_name", "m"), Re("i", "[0-9]*[02468]")}, kDay0,
                    kDay0 + 3 * kHour);
  ASSERT_THAT(s, IsOk());
  uint64_t even = 0;
  for (int i = 0; i < 40; i += 2) {
    even += (i % 3 == 0) ? 2 : 0;
  }
  EXPECT_EQ(s->chunks, even);
}

TEST_F(VolumeTest, GroupsByMatcherLabelNamesByDefault) {
  auto v = index_->Volume("t", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {},
                          VolumeAggregation::kSeries, 100);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v), (Items{{R"({service_name="batch"})", 2000},
                             {R"({service_name="api"})", 1600},
                             {R"({service_name="web"})", 700}}));
  EXPECT_EQ((*v)[1].entries, 16u);
}

TEST_F(VolumeTest, LimitKeepsTheLargestAndTiesSortByLabels) {
  auto v = index_->Volume("t", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {},
                          VolumeAggregation::kSeries, 2);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v),
            (Items{{R"({service_name="batch"})", 2000}, {R"({service_name="api"})", 1600}}));
  Add("t", Labels::FromPairs({{"service_name", "aaa"}}), kDay0 + kHour, 1, 2000);
  v = index_->Volume("t", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {},
                     VolumeAggregation::kSeries, 2);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v),
            (Items{{R"({service_name="aaa"})", 2000}, {R"({service_name="batch"})", 2000}}));
}

TEST_F(VolumeTest, TargetLabelsGroupAndRequireTheLabel) {
  // Grouping by env drops batch (no env), as Loki adds env=~".+".
  auto v = index_->Volume("t", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {"env"},
                          VolumeAggregation::kSeries, 0);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v), (Items{{R"({env="prod"})", 1800}, {R"({env="dev"})", 500}}));
  v = index_->Volume("t", {Eq("service_name", "api")}, kDay0, kDay0 + kDay, {"service_name", "env"},
                     VolumeAggregation::kSeries, 0);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v), (Items{{R"({env="prod", service_name="api"})", 1100},
                             {R"({env="dev", service_name="api"})", 500}}));
}

TEST_F(VolumeTest, AggregateByLabelsGivesOneGroupPerLabelName) {
  auto v = index_->Volume("t", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {},
                          VolumeAggregation::kLabels, 0);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v), (Items{{"service_name", 4300}, {"env", 2300}}));
  v = index_->Volume("t", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {"env"},
                     VolumeAggregation::kLabels, 0);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v), (Items{{"env", 2300}}));
}

TEST_F(VolumeTest, TenantsDoNotMix) {
  auto v = index_->Volume("other", {Re("service_name", ".+")}, kDay0, kDay0 + kDay, {},
                          VolumeAggregation::kSeries, 0);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Flat(*v), (Items{{R"({service_name="api"})", 100000}}));
  auto s = index_->Stats("nobody", {}, kDay0, kDay0 + kDay);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->streams, 0u);
  EXPECT_EQ(s->bytes, 0u);
}

TEST_F(VolumeTest, VolumeRangeSplitsIntoSteps) {
  VolumeRequest req;
  req.matchers = {Eq("service_name", "api")};
  req.start_ns = kDay0;
  req.end_ns = kDay0 + 4 * kHour;
  auto r = index_->VolumeRange("t", req, 2 * kHour);
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->size(), 1u);
  const VolumeSeries& s = (*r)[0];
  EXPECT_EQ(s.labels.ToString(), R"({service_name="api"})");
  EXPECT_EQ(s.bytes, 1600u);
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[0].ts_ns, kDay0 + 2 * kHour);  // step [0h, 2h): hour 1
  EXPECT_EQ(s.points[0].bytes, 1500u);
  EXPECT_EQ(s.points[1].ts_ns, kDay0 + 4 * kHour);  // step [2h, 4h): hour 3
  EXPECT_EQ(s.points[1].bytes, 100u);
  EXPECT_EQ(s.points[1].entries, 1u);
  EXPECT_THAT(index_->VolumeRange("t", req, 0), StatusIs(StatusCode::kInvalidArgument, "step"));
}

TEST_F(VolumeTest, VolumeRangeClampsBucketsStartingBeforeTheRange) {
  VolumeRequest req;
  req.matchers = {Eq("service_name", "api")};
  req.start_ns = kDay0 + kHour + 30 * 60 * kSecond;  // inside hour 1's bucket
  req.end_ns = kDay0 + 4 * kHour;
  auto r = index_->VolumeRange("t", req, kHour);
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->size(), 1u);
  ASSERT_EQ((*r)[0].points.size(), 2u);
  EXPECT_EQ((*r)[0].points[0].ts_ns, req.start_ns + kHour);
  EXPECT_EQ((*r)[0].points[0].bytes, 1500u);
}

}  // namespace
}  // namespace sluice::index::testing
