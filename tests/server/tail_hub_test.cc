// TailHub: filtering, bounded queues and dropped_entries, delay_for, shutdown, many concurrent
// subscribers, the appender decorator, replay through the engine and the frame JSON.
#include "server/tail_hub.h"

#include <atomic>
#include <thread>

#include "tests/server/grafana_test_fixture.h"

namespace sluice::server {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using namespace std::chrono_literals;

std::vector<ingest::PushStream> Push(const Labels& labels,
                                     std::vector<std::pair<int64_t, std::string>> entries) {
  std::vector<ingest::PushStream> s(1);
  s[0].labels = labels;
  for (auto& [ts, line] : entries)
    s[0].entries.push_back(OwnedEntry{ts, std::move(line), {}});
  return s;
}

TEST(TailHubTest, DeliversMatchingEntriesThroughThePipeline) {
  TailHub hub;
  auto sub = hub.Subscribe("t", TailRequest{R"({app="api"} |= "err" | logfmt)", 0, false});
  ASSERT_THAT(sub, IsOk());
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{2, "err=1 code=500"}, {1, "ok"}}),
              nullptr);
  hub.Publish("t", Push(Labels::FromPairs({{"app", "web"}}), {{3, "err=1"}}), nullptr);
  hub.Publish("other", Push(Labels::FromPairs({{"app", "api"}}), {{4, "err=2"}}), nullptr);
  TailFrame f;
  ASSERT_TRUE((*sub)->WaitFrame(1s, &f));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].line, "err=1 code=500");
  EXPECT_EQ(f.entries[0].labels,
            Labels::FromPairs({{"app", "api"}, {"code", "500"}, {"err", "1"}}));
  EXPECT_EQ(
      RenderTailFrame(f, false),
      R"({"streams":[{"stream":{"app":"api","code":"500","err":"1"},"values":[["2","err=1 code=500"]]}]})");
}

TEST(TailHubTest, CategorizedFrame) {
  TailHub hub;
  auto sub = hub.Subscribe("t", TailRequest{R"({app="api"} | logfmt)", 0, true});
  ASSERT_THAT(sub, IsOk());
  auto push = Push(Labels::FromPairs({{"app", "api"}}), {{5, "a=1"}, {6, "plain"}});
  push[0].entries[0].metadata = {{"trace_id", "x"}};
  hub.Publish("t", push, nullptr);
  TailFrame f;
  ASSERT_TRUE((*sub)->WaitFrame(1s, &f));
  EXPECT_EQ(RenderTailFrame(f, true),
            R"({"streams":[{"stream":{"app":"api"},"values":[)"
            R"(["5","a=1",{"structuredMetadata":{"trace_id":"x"},"parsed":{"a":"1"}}],)"
            R"(["6","plain",{}]]}],"encodingFlags":["categorize-labels"]})");
}

// The session's wake-up: once per push that queued (or dropped) something for the subscriber,
// never for filtered-out entries or after Close().
TEST(TailHubTest, NotifyRunsWhenAPushQueuedEntries) {
  TailHubOptions o;
  o.queue_entries = 1;
  TailHub hub(o);
  auto sub = hub.Subscribe("t", TailRequest{R"({app="api"} |= "err")", 0, false});
  ASSERT_THAT(sub, IsOk());
  int calls = 0;
  (*sub)->SetNotify([&] { ++calls; });
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{1, "err a"}, {2, "err b"}}),
              nullptr);
  EXPECT_EQ(calls, 1);  // one entry queued, one dropped: one call
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{3, "fine"}}), nullptr);
  hub.Publish("t", Push(Labels::FromPairs({{"app", "web"}}), {{4, "err"}}), nullptr);
  EXPECT_EQ(calls, 1);
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{5, "err c"}}), nullptr);
  EXPECT_EQ(calls, 2);  // dropped (queue full) still notifies: the notice is deliverable
  (*sub)->Close();
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{6, "err d"}}), nullptr);
  EXPECT_EQ(calls, 2);
}

TEST(TailHubTest, ShutdownNotifiesAndWaitsForSubscriptionsToGo) {
  TailHub hub(TailHubOptions{});
  auto sub = hub.Subscribe("t", TailRequest{R"({app="api"})", 0, false});
  ASSERT_THAT(sub, IsOk());
  int calls = 0;
  (*sub)->SetNotify([&] { ++calls; });
  hub.Shutdown();
  EXPECT_EQ(calls, 1);  // the session learns of the close at once
  TailFrame frame;
  EXPECT_FALSE((*sub)->WaitFrame(std::chrono::milliseconds(0), &frame));
  EXPECT_FALSE(hub.WaitForSubscriptionsToEnd(std::chrono::milliseconds(20)));  // still held
  sub->reset();
  EXPECT_TRUE(hub.WaitForSubscriptionsToEnd(std::chrono::milliseconds(0)));
}

TEST(TailHubTest, SlowSubscriberGetsDroppedEntries) {
  TailHubOptions o;
  o.queue_entries = 3;
  o.max_dropped_reported = 2;
  TailHub hub(o);
  auto sub = hub.Subscribe("t", TailRequest{R"({app="api"})", 0, false});
  ASSERT_THAT(sub, IsOk());
  hub.Publish("t",
              Push(Labels::FromPairs({{"app", "api"}}),
                   {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}, {5, "e"}, {6, "f"}}),
              nullptr);
  TailFrame f;
  ASSERT_TRUE((*sub)->WaitFrame(1s, &f));
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[2].line, "c");
  ASSERT_EQ(f.dropped.size(), 2u);  // capped report: d and e
  EXPECT_EQ(f.dropped[0].timestamp_ns, 4);
  EXPECT_EQ(RenderTailFrame(TailFrame{{}, f.dropped}, false),
            R"({"streams":[],"dropped_entries":[{"labels":{"app":"api"},"timestamp":"4"},)"
            R"({"labels":{"app":"api"},"timestamp":"5"}]})");
  // Reported once; the queue has room again.
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{7, "g"}}), nullptr);
  ASSERT_TRUE((*sub)->WaitFrame(1s, &f));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_TRUE(f.dropped.empty());
}

TEST(TailHubTest, DelayForHoldsAndSortsEntries) {
  ManualClock clock(1000);
  TailHubOptions o;
  o.clock = &clock;
  TailHub hub(o);
  auto sub = hub.Subscribe("t", TailRequest{R"({app="api"})", 2 * kNanosPerSecond, false});
  ASSERT_THAT(sub, IsOk());
  hub.Publish("t", Push(Labels::FromPairs({{"app", "api"}}), {{20, "late"}, {10, "early"}}),
              nullptr);
  TailFrame f;
  ASSERT_TRUE((*sub)->WaitFrame(10ms, &f));
  EXPECT_TRUE(f.empty());  // not yet due
  clock.Advance(2 * kNanosPerSecond);
  ASSERT_TRUE((*sub)->WaitFrame(10ms, &f));
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].line, "early");
}

TEST(TailHubTest, LimitsErrorsAndShutdown) {
  TailHubOptions o;
  o.max_tails_per_tenant = 2;
  TailHub hub(o);
  EXPECT_THAT(hub.Subscribe("t", TailRequest{"rate({a=\"b\"}[1m])", 0, false}),
              StatusIs(StatusCode::kInvalidArgument, "only log selector is supported"));
  auto a = hub.Subscribe("t", TailRequest{R"({a="b"})", 0, false});
  auto b = hub.Subscribe("t", TailRequest{R"({a="b"})", 0, false});
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_THAT(hub.Subscribe("t", TailRequest{R"({a="b"})", 0, false}),
              StatusIs(StatusCode::kResourceExhausted, "max concurrent tail"));
  EXPECT_THAT(hub.Subscribe("u", TailRequest{R"({a="b"})", 0, false}), IsOk());
  (*a)->Close();  // a disconnect frees the slot
  EXPECT_EQ(hub.subscribers(), 2u);
  EXPECT_THAT(hub.Subscribe("t", TailRequest{R"({a="b"})", 0, false}), IsOk());

  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    TailFrame f;
    while ((*b)->WaitFrame(10s, &f)) {
    }
    returned = true;
  });
  hub.Shutdown();
  waiter.join();
  EXPECT_TRUE(returned);
  EXPECT_EQ(hub.subscribers(), 0u);
  EXPECT_THAT(hub.Subscribe("t", TailRequest{R"({a="b"})", 0, false}),
              StatusIs(StatusCode::kFailedPrecondition, "shutting down"));
}

TEST(TailHubTest, ManyConcurrentSubscribersAndPublishers) {
  TailHubOptions o;
  o.max_tails_per_tenant = 0;  // unlimited
  o.queue_entries = 100000;
  TailHub hub(o);
  constexpr int kSubs = 32, kPublishers = 4, kPerPublisher = 500;
  std::vector<std::shared_ptr<TailSubscription>> subs;
  for (int i = 0; i < kSubs; ++i) {
    auto s = hub.Subscribe(
        "t", TailRequest{i % 2 ? R"({app="api"})" : R"({app="api"} |= "7")", 0, false});
    ASSERT_THAT(s, IsOk());
    subs.push_back(*s);
  }
  std::vector<std::thread> threads;
  for (int p = 0; p < kPublishers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < kPerPublisher; ++i) {
        hub.Publish("t",
                    Push(Labels::FromPairs({{"app", "api"}, {"p", std::to_string(p)}}),
                         {{i, "line " + std::to_string(i)}}),
                    nullptr);
      }
    });
  }
  std::vector<size_t> got(kSubs, 0);
  std::vector<std::thread> readers;
  for (int i = 0; i < kSubs; ++i) {
    readers.emplace_back([&, i] {
      size_t want = i % 2 ? kPublishers * kPerPublisher : 0;
      if (i % 2 == 0) {  // lines containing a 7
        for (int n = 0; n < kPerPublisher; ++n)
          want += std::to_string(n).find('7') != std::string::npos ? kPublishers : 0;
      }
      TailFrame f;
      while (got[i] < want && subs[i]->WaitFrame(5s, &f))
        got[i] += f.entries.size();
    });
  }
  for (auto& t : threads)
    t.join();
  for (auto& t : readers)
    t.join();
  for (int i = 0; i < kSubs; ++i) {
    size_t want = i % 2 ? kPublishers * kPerPublisher : 0;
    if (i % 2 == 0) {
      for (int n = 0; n < kPerPublisher; ++n)
        want += std::to_string(n).find('7') != std::string::npos ? kPublishers : 0;
    }
    EXPECT_EQ(got[i], want) << i;
  }
}

class TailStorageTest : public GrafanaFixture {};

TEST_F(TailStorageTest, AppenderPublishesAcceptedEntriesAndReplayReadsHistory) {
  Append(Labels::FromPairs({{"app", "api"}}),
         {E(1, "old one"), E(2, "old two"), E(3, "old three")});
  TailHub hub;
  TailingAppender appender(storage_.get(), &hub);
  TailRequest req{R"({app="api"})", 0, false};
  auto replay = ReplayTail(*engine_, "fake", req, kBaseNs, kBaseNs + 10 * kNanosPerSecond, 2);
  ASSERT_THAT(replay, IsOk());
  ASSERT_EQ(replay->entries.size(), 2u);  // the newest two, oldest first
  EXPECT_EQ(replay->entries[0].line, "old two");
  EXPECT_EQ(replay->entries[1].line, "old three");

  auto sub = hub.Subscribe("fake", req);
  ASSERT_THAT(sub, IsOk());
  std::vector<ingest::PushStream> push(1);
  push[0].labels = Labels::FromPairs({{"app", "api"}});
  push[0].entries = {E(20, "live")};
  ingest::AppendReport report;
  ASSERT_THAT(appender.Append("fake", push, &report), IsOk());
  TailFrame f;
  ASSERT_TRUE((*sub)->WaitFrame(1s, &f));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].line, "live");
}

}  // namespace
}  // namespace sluice::server
