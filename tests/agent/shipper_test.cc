// Shipper: batching per tenant, bounded memory while the server hangs, shutdown deadline.
#include "agent/shipper.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "common/clock.h"

namespace sluice::agent {
namespace {

// Blocks every request until released; counts requests and tenants.
class GateHttp final : public HttpClient {
 public:
  Result<HttpReply> Post(const HttpPost& request) override {
    std::unique_lock<std::mutex> lock(mu);
    ++requests;
    for (const auto& [k, v] : request.headers) {
      if (k == "X-Scope-OrgID")
        tenants.push_back(v);
    }
    cv.wait(lock, [&] { return open; });
    return HttpReply{fail ? 503 : 204, "", ""};
  }

  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }

  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  bool fail = false;
  int requests = 0;
  std::vector<std::string> tenants;
};

ShipEntry Entry(std::string tenant, size_t bytes, std::shared_ptr<FileProgress> progress,
                uint64_t start) {
  ShipEntry e;
  e.labels = Labels::FromPairs({{"job", "t"}});
  e.line = std::string(bytes, 'x');
  e.tenant = std::move(tenant);
  progress->Add(start, 1);
  e.ack = AckToken{std::move(progress), start};
  return e;
}

Shipper::Options Options(GateHttp** gate) {
  Shipper::Options o;
  o.client.host = "h";
  o.client.batchwait_ns = 10'000'000;
  o.client.batchsize_bytes = 1000;
  o.client.max_buffered_bytes = 5000;
  o.client.backoff.min_period_ns = 1'000'000;
  o.client.backoff.max_period_ns = 2'000'000;
  auto http = std::make_unique<GateHttp>();
  *gate = http.get();
  o.http = std::move(http);
  return o;
}

void WaitFor(const std::function<bool()>& pred) {
  for (int i = 0; i < 500 && !pred(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST(ShipperTest, BatchesPerTenantAndAcknowledges) {
  GateHttp* gate = nullptr;
  Shipper s(Options(&gate));
  gate->Open();
  s.Start();
  auto progress = std::make_shared<FileProgress>(0);
  s.Push(Entry("a", 100, progress, 0));
  s.Push(Entry("b", 100, progress, 10));
  s.Push(Entry("a", 100, progress, 20));
  progress->SetConsumed(30);
  WaitFor([&] { return s.Idle(); });
  EXPECT_TRUE(s.Idle());
  EXPECT_EQ(progress->Acked(), 30u);
  std::lock_guard<std::mutex> lock(gate->mu);
  EXPECT_EQ(gate->requests, 2);  // one batch per tenant
  s.Shutdown(Clock::Default()->MonotonicNanos() + 1'000'000'000);
}

TEST(ShipperTest, StopsTakingWorkWhenTheServerHangs) {
  GateHttp* gate = nullptr;
  Shipper s(Options(&gate));
  s.Start();
  auto progress = std::make_shared<FileProgress>(0);
  uint64_t pushed = 0;
  // A "tailer" that pushes only while there is room.
  for (int i = 0; i < 100 && s.HasRoom(); ++i)
    s.Push(Entry("", 400, progress, pushed++));
  EXPECT_FALSE(s.HasRoom());
  EXPECT_LT(pushed, 20u);  // ~5000 bytes of room, 416 bytes an entry
  EXPECT_LE(s.buffered_bytes(), 5000u + 416u);
  gate->Open();
  WaitFor([&] { return s.Idle(); });
  EXPECT_TRUE(s.HasRoom());
  EXPECT_EQ(s.buffered_bytes(), 0u);
  s.Shutdown(Clock::Default()->MonotonicNanos() + 1'000'000'000);
}

TEST(ShipperTest, ShutdownGivesUpAtTheDeadlineWithoutAcknowledging) {
  GateHttp* gate = nullptr;
  Shipper s(Options(&gate));
  gate->fail = true;
  gate->Open();  // every request answers 503: retried until shutdown
  s.Start();
  auto progress = std::make_shared<FileProgress>(0);
  s.Push(Entry("", 10, progress, 0));
  progress->SetConsumed(10);
  WaitFor([&] {
    std::lock_guard<std::mutex> lock(gate->mu);
    return gate->requests >= 2;
  });
  s.Shutdown(Clock::Default()->MonotonicNanos() + 50'000'000);
  EXPECT_EQ(progress->Acked(), 0u);  // sent again after restart
}

TEST(ShipperTest, ExternalLabelsDoNotOverrideEntryLabels) {
  GateHttp* gate = nullptr;
  Shipper::Options o = Options(&gate);
  o.client.external_labels = {{"cluster", "prod"}, {"job", "external"}};
  o.dry_run = true;  // prints to stdout and acknowledges
  Shipper s(std::move(o));
  s.Start();
  auto progress = std::make_shared<FileProgress>(0);
  ::testing::internal::CaptureStdout();
  s.Push(Entry("", 3, progress, 0));
  progress->SetConsumed(3);
  WaitFor([&] { return s.Idle(); });
  s.Shutdown(Clock::Default()->MonotonicNanos() + 1'000'000'000);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find(R"({cluster="prod", job="t"})"), std::string::npos) << out;
  EXPECT_EQ(progress->Acked(), 3u);
}

TEST(ShipperTest, AcknowledgedBytesAreHeldUntilThePositionsFileHasThem) {
  GateHttp* gate = nullptr;
  DurableAcks acks;
  Shipper::Options o = Options(&gate);
  o.acks = &acks;
  Shipper s(std::move(o));
  gate->Open();
  s.Start();
  auto progress = std::make_shared<FileProgress>(0);
  for (uint64_t i = 0; i < 10; ++i)
    s.Push(Entry("", 484, progress, i * 500));  // 500 bytes each (ShipEntry::Bytes)
  progress->SetConsumed(5000);
  EXPECT_FALSE(s.HasRoom());
  WaitFor([&] { return s.Idle() && acks.acked() > 0; });
  ASSERT_TRUE(s.Idle());
  EXPECT_EQ(progress->Acked(), 5000u);   // the server has every entry...
  EXPECT_EQ(s.buffered_bytes(), 5000u);  // ...but a kill -9 now would send them again
  EXPECT_FALSE(s.HasRoom());
  ASSERT_EQ(acks.acked(), 5u);  // 5 batches of 2 entries (batchsize 1000)
  acks.MarkDurable(1);          // the first batch is in the positions file
  EXPECT_EQ(s.buffered_bytes(), 4000u);
  EXPECT_TRUE(s.HasRoom());
  acks.MarkDurable(5);
  EXPECT_EQ(s.buffered_bytes(), 0u);
  s.Shutdown(Clock::Default()->MonotonicNanos() + 1'000'000'000);
}

}  // namespace
}  // namespace sluice::agent
