// The index's per-stream counters (index/stats, index/volume) after kill -9: the real binary is
// killed while clients push, restarted, and index/stats must count exactly the entries a query
// returns, with no entry lost or counted twice, also across a second kill right after the
// replay and a clean restart.
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "http_client.h"
#include "loki_test_util.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int kClients = 4;

struct Counts {
  uint64_t entries = 0;
  uint64_t bytes = 0;
  friend bool operator==(const Counts&, const Counts&) = default;
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "{entries " << c.entries << ", bytes " << c.bytes << "}";
}

uint64_t JsonNumber(const std::string& body, const std::string& key) {
  size_t p = body.find("\"" + key + "\":");
  if (p == std::string::npos)
    return ~uint64_t{0};
  return std::strtoull(body.c_str() + p + key.size() + 3, nullptr, 10);
}

class IndexCountersTest : public ::testing::Test {
 protected:
  Counts IndexStats(uint16_t port) {
    std::string target = "/loki/api/v1/index/stats?query=" + UrlEncode(R"({job="counters"})") +
                         "&start=" + std::to_string(base_ - 60'000 * kMs) +
                         "&end=" + std::to_string(base_ + 3'600'000 * kMs);
    HttpResult r = HttpRequest(port, "GET", target, {{"X-Scope-OrgID", "ctr"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Counts{JsonNumber(r.body, "entries"), JsonNumber(r.body, "bytes")};
  }

  // What the stored entries add up to, read back with queries.
  Counts Stored(uint16_t port) {
    Counts c;
    for (int client = 0; client < kClients; ++client) {
      QueryArgs a;
      a.tenant = "ctr";
      a.query = R"({job="counters", client=")" + std::to_string(client) + "\"}";
      a.start_ns = base_;
      a.end_ns = base_ + 3'600'000 * kMs;
      a.limit = 5000;
      QueryStreams q = QueryRange(port, a);
      EXPECT_EQ(q.http_status, 200) << q.raw;
      for (const TestEntry& e : q.All()) {
        ++c.entries;
        // Line and structured metadata bytes; the server adds detected_level (the lines carry
        // no level, so "unknown") when the response does not show metadata.
        c.bytes += e.line.size();
        if (e.metadata.empty())
          c.bytes += std::string("detected_level").size() + std::string("unknown").size();
        for (const auto& [name, value] : e.metadata)
          c.bytes += name.size() + value.size();
      }
    }
    return c;
  }

  int64_t base_ = NowNs() - 10 * 60'000 * kMs;
};

TEST_F(IndexCountersTest, StatsCountExactlyTheStoredEntriesAfterKill9) {
  TempDir tmp;
  ServerProcess server(tmp.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();

  std::atomic<int> acked{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int b = 0; b < 1000 && !stop; ++b) {
        TestStream s{{{"job", "counters"}, {"client", std::to_string(c)}}, {}};
        for (int i = 0; i < 4; ++i) {
          int n = b * 4 + i;
          s.entries.push_back({base_ + n * kMs,
                               "client " + std::to_string(c) + " entry " + std::to_string(n) +
                                   std::string(static_cast<size_t>(n % 13), '.'),
                               {}});
        }
        if (Push(server.port(), "ctr", "application/json", JsonPushBody({s})).status != 204)
          return;  // the server is gone
        acked += 4;
      }
    });
  }
  while (acked.load() < 400)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.Kill();
  stop = true;
  for (auto& t : clients)
    t.join();

  ASSERT_TRUE(server.Start()) << server.log();
  Counts stored = Stored(server.port());
  ASSERT_GE(stored.entries, static_cast<uint64_t>(acked.load()));
  EXPECT_EQ(IndexStats(server.port()), stored);

  // Killed again right after the replay: the replayed entries must not count twice.
  server.Kill();
  ASSERT_TRUE(server.Start()) << server.log();
  EXPECT_EQ(Stored(server.port()), stored);
  EXPECT_EQ(IndexStats(server.port()), stored);

  // A clean restart keeps the same figures.
  EXPECT_EQ(server.Stop(), 0) << server.log();
  ASSERT_TRUE(server.Start()) << server.log();
  EXPECT_EQ(IndexStats(server.port()), stored);
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

}  // namespace
}  // namespace sluice::integration
