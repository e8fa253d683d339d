// kill -9 while several clients push concurrently; after a restart every acknowledged (204)
// entry must be there.
#include <atomic>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "loki_test_util.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

constexpr int64_t kMs = 1'000'000;

TEST(CrashTest, AcknowledgedEntriesSurviveKill9DuringConcurrentPushes) {
  TempDir tmp;
  ServerProcess server(tmp.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  const int64_t base = NowNs() - 5 * 60 * 1000 * kMs;
  constexpr int kClients = 4;
  constexpr int kBatches = 400;  // far more than get through before the kill
  constexpr int kPerBatch = 5;

  std::mutex mu;
  std::vector<std::vector<TestEntry>> acked(kClients);
  std::atomic<int> total_acked{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int b = 0; b < kBatches; ++b) {
        TestStream s{{{"client", std::to_string(c)}}, {}};
        for (int i = 0; i < kPerBatch; ++i) {
          int n = b * kPerBatch + i;
          s.entries.push_back(
              {base + n * kMs, "client " + std::to_string(c) + " entry " + std::to_string(n), {}});
        }
        HttpResult r = Push(server.port(), "crash", "application/json", JsonPushBody({s}));
        if (r.status != 204)
          return;  // the server is gone
        std::lock_guard lock(mu);
        acked[c].insert(acked[c].end(), s.entries.begin(), s.entries.end());
        total_acked += kPerBatch;
      }
    });
  }
  // Kill once a fair number of pushes were acknowledged (with pushes still in flight).
  while (total_acked.load() < 200)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.Kill();
  for (auto& t : clients)
    t.join();

  ASSERT_TRUE(server.Start()) << server.log();
  for (int c = 0; c < kClients; ++c) {
    QueryArgs a;
    a.tenant = "crash";
    a.query = "{client=\"" + std::to_string(c) + "\"}";
    a.start_ns = base;
    a.end_ns = base + kBatches * kPerBatch * kMs + 1;
    a.limit = 5000;
    a.direction = "forward";
    QueryStreams q = QueryRange(server.port(), a);
    ASSERT_EQ(q.http_status, 200) << q.raw;
    std::vector<TestEntry> got = q.All();
    std::sort(got.begin(), got.end(),
              [](const TestEntry& x, const TestEntry& y) { return x.ts_ns < y.ts_ns; });
    // Everything acknowledged is present (more may be: pushes in flight at the kill).
    ASSERT_GE(got.size(), acked[c].size()) << "client " << c;
    std::vector<TestEntry> prefix(got.begin(), got.begin() + static_cast<long>(acked[c].size()));
    EXPECT_EQ(prefix, acked[c]) << "client " << c;
  }
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

}  // namespace
}  // namespace sluice::integration
