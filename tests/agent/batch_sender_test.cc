#include "agent/batch_sender.h"

#include <deque>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <snappy.h>

#include "common/clock.h"
#include "proto/push.pb.h"

namespace sluice::agent {
namespace {

// Answers from a script; records every request body.
class FakeHttp final : public HttpClient {
 public:
  Result<HttpReply> Post(const HttpPost& request) override {
    posts.push_back(request);
    if (script.empty())
      return HttpReply{204, "", ""};
    Result<HttpReply> r = script.front();
    script.pop_front();
    return r;
  }

  std::deque<Result<HttpReply>> script;
  std::vector<HttpPost> posts;
};

HttpReply Reply(int status, std::string retry_after = "") {
  return HttpReply{status, std::move(retry_after), "body"};
}

struct Fixture {
  Fixture() {
    client.url = "http://h:1/loki/api/v1/push";
    client.host = "h";
    client.port = 1;
    client.target = "/loki/api/v1/push";
    client.tenant_id = "t1";
    client.backoff.min_period_ns = 100;
    client.backoff.max_period_ns = 1000;
  }

  BatchSender Sender() {
    BatchSender::Options o;
    o.client = &client;
    o.http = &http;
    o.metrics = &metrics;
    o.clock = &clock;
    o.sleep = [this](int64_t ns) {
      sleeps.push_back(ns);
      return sleeps.size() <= max_sleeps;
    };
    return BatchSender(std::move(o));
  }

  Batch MakeBatch(int n) {
    Batch b;
    for (int i = 0; i < n; ++i) {
      ShipEntry e;
      e.labels = Labels::FromPairs({{"job", "x"}});
      e.ts_ns = 1000 + i;
      e.line = "line " + std::to_string(i);
      e.ack = AckToken{progress, static_cast<uint64_t>(i * 10)};
      progress->Add(e.ack.start, 1);
      b.Add(std::move(e));
    }
    progress->SetConsumed(static_cast<uint64_t>(n * 10));
    return b;
  }

  ClientConfig client;
  FakeHttp http;
  Registry registry;
  AgentMetrics metrics{&registry};
  ManualClock clock{1'700'000'000'000'000'000};
  std::vector<int64_t> sleeps;
  size_t max_sleeps = 1000;
  std::shared_ptr<FileProgress> progress = std::make_shared<FileProgress>(0);
};

logproto::PushRequest Decode(const std::string& body) {
  std::string raw;
  EXPECT_TRUE(snappy::Uncompress(body.data(), body.size(), &raw));
  logproto::PushRequest req;
  EXPECT_TRUE(req.ParseFromString(raw));
  return req;
}

TEST(BatchSenderTest, SendsProtobufWithTenant) {
  Fixture f;
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(3)), SendOutcome::kSent);
  ASSERT_EQ(f.http.posts.size(), 1u);
  const HttpPost& post = f.http.posts[0];
  bool tenant = false, type = false;
  for (const auto& [k, v] : post.headers) {
    tenant = tenant || (k == "X-Scope-OrgID" && v == "t1");
    type = type || (k == "Content-Type" && v == "application/x-protobuf");
  }
  EXPECT_TRUE(tenant);
  EXPECT_TRUE(type);
  logproto::PushRequest req = Decode(post.body);
  ASSERT_EQ(req.streams_size(), 1);
  EXPECT_EQ(req.streams(0).labels(), R"({job="x"})");
  ASSERT_EQ(req.streams(0).entries_size(), 3);
  EXPECT_EQ(req.streams(0).entries(2).line(), "line 2");
  EXPECT_EQ(req.streams(0).entries(2).timestamp().nanos(), 1002);
  EXPECT_EQ(f.progress->Acked(), 30u);
  EXPECT_EQ(f.metrics.sent_entries->Value({"t1"}), 3);
}

TEST(BatchSenderTest, RetriesServerErrorsWithGrowingJitteredBackoff) {
  Fixture f;
  f.http.script = {Reply(500), Reply(503), Reply(429), Status(StatusCode::kIOError, "refused"),
                   Reply(502), Reply(200)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(2)), SendOutcome::kSent);
  EXPECT_EQ(f.http.posts.size(), 6u);
  ASSERT_EQ(f.sleeps.size(), 5u);
  // Attempt k waits in [d/2, d] with d = min(100 * 2^(k-1), 1000).
  const int64_t base[] = {100, 200, 400, 800, 1000};
  for (size_t i = 0; i < f.sleeps.size(); ++i) {
    EXPECT_GE(f.sleeps[i], base[i] / 2) << i;
    EXPECT_LE(f.sleeps[i], base[i]) << i;
  }
  EXPECT_EQ(f.metrics.retries->Value({"network"}), 1);
  EXPECT_EQ(f.metrics.retries->Value({"500"}), 1);
  EXPECT_EQ(f.progress->Acked(), 20u);
}

TEST(BatchSenderTest, HonoursRetryAfter) {
  Fixture f;
  f.http.script = {Reply(429, "7"), Reply(200)};
  f.Sender().Send(f.MakeBatch(1));
  ASSERT_EQ(f.sleeps.size(), 1u);
  EXPECT_EQ(f.sleeps[0], 7'000'000'000);
  EXPECT_EQ(*BatchSender::ParseRetryAfter("120", 0), 120'000'000'000);
  int64_t now = 784111777LL * 1'000'000'000;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(*BatchSender::ParseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now), 10'000'000'000);
  EXPECT_FALSE(BatchSender::ParseRetryAfter("soon", now).has_value());
}

TEST(BatchSenderTest, NeverResendsOther4xx) {
  Fixture f;
  f.http.script = {Reply(400)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(2)), SendOutcome::kGivenUp);
  EXPECT_EQ(f.http.posts.size(), 1u);
  EXPECT_TRUE(f.sleeps.empty());
  EXPECT_EQ(f.metrics.dropped->Value({"http_400"}), 2);
  EXPECT_EQ(f.progress->Acked(), 20u);  // acknowledged: resending cannot help
}

TEST(BatchSenderTest, SplitsOn413) {
  Fixture f;
  // Whole batch (4) too large; first half (2) too large; its halves OK; second half OK.
  f.http.script = {Reply(413), Reply(413), Reply(200), Reply(200), Reply(200)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(4)), SendOutcome::kSent);
  ASSERT_EQ(f.http.posts.size(), 5u);
  std::vector<int> sizes;
  for (const HttpPost& p : f.http.posts)
    sizes.push_back(Decode(p.body).streams(0).entries_size());
  EXPECT_THAT(sizes, ::testing::ElementsAre(4, 2, 1, 1, 2));
  EXPECT_EQ(f.progress->Acked(), 40u);
}

TEST(BatchSenderTest, SingleEntry413IsGivenUp) {
  Fixture f;
  f.http.script = {Reply(413)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(1)), SendOutcome::kGivenUp);
  EXPECT_EQ(f.metrics.dropped->Value({"http_413"}), 1);
}

TEST(BatchSenderTest, MaxRetriesGivesUp) {
  Fixture f;
  f.client.backoff.max_retries = 2;
  f.http.script = {Reply(500), Reply(500), Reply(500), Reply(200)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(1)), SendOutcome::kGivenUp);
  EXPECT_EQ(f.http.posts.size(), 3u);
  EXPECT_EQ(f.metrics.dropped->Value({"max_retries"}), 1);
}

TEST(BatchSenderTest, DropRateLimitedBatches) {
  Fixture f;
  f.client.drop_rate_limited_batches = true;
  f.http.script = {Reply(429)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(1)), SendOutcome::kGivenUp);
  EXPECT_EQ(f.metrics.dropped->Value({"rate_limited"}), 1);
}

TEST(BatchSenderTest, AbortLeavesEntriesUnacknowledged) {
  Fixture f;
  f.max_sleeps = 0;  // the first sleep is interrupted by shutdown
  f.http.script = {Reply(503)};
  EXPECT_EQ(f.Sender().Send(f.MakeBatch(2)), SendOutcome::kAborted);
  EXPECT_EQ(f.progress->Acked(), 0u);
}

TEST(BatchTest, JsonEncodingGroupsStreamsInOrder) {
  Batch b;
  for (int i = 0; i < 3; ++i) {
    ShipEntry e;
    e.labels = Labels::FromPairs({{"app", i == 1 ? "b" : "a"}});
    e.ts_ns = 10 + i;
    e.line = i == 2 ? "quote \" and \n newline" : "l" + std::to_string(i);
    if (i == 0)
      e.metadata = {{"trace_id", "abc"}};
    b.Add(std::move(e));
  }
  EXPECT_EQ(
      EncodeJson(b),
      R"({"streams":[{"stream":{"app":"a"},"values":[["10","l0",{"trace_id":"abc"}],)"
      R"(["12","quote \" and \n newline"]]},{"stream":{"app":"b"},"values":[["11","l1"]]}]})");
  auto [x, y] = b.Split();
  EXPECT_EQ(x.entries.size(), 1u);
  EXPECT_EQ(y.entries.size(), 2u);
  EXPECT_EQ(x.bytes + y.bytes, b.bytes);
}

}  // namespace
}  // namespace sluice::agent
