// Live tail (GET /loki/api/v1/tail over WebSocket) against the real `sluice` binary over real
// sockets: many concurrent clients, a client that stops reading (pushes and other clients go
// on; it is told about dropped entries), abrupt disconnects (subscriptions are released),
// SIGTERM with tails open (prompt clean exit), and parameter errors before the upgrade.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "loki_test_util.h"
#include "server_process.h"
#include "ws_client.h"

namespace sluice::integration {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxTailsPerTenant = 10;  // Loki's max_concurrent_tail_requests

// What a client has seen so far.
struct Received {
  std::vector<int64_t> timestamps;  // entries, in arrival order
  size_t dropped = 0;               // dropped_entries reported
  bool closed = false;
  int close_code = 0;
  std::string error;
};

// Decodes one tail frame into *r; false when it is not Loki's tail shape.
bool AddFrame(const std::string& text, Received* r) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array streams;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS ||
      doc["streams"].get(streams) != simdjson::SUCCESS) {
    return false;
  }
  for (auto s : streams) {
    simdjson::dom::array values;
    if (s["values"].get(values) != simdjson::SUCCESS)
      return false;
    for (auto v : values) {
      std::string_view ts;
      if (v.at(0).get(ts) != simdjson::SUCCESS)
        return false;
      r->timestamps.push_back(std::stoll(std::string(ts)));
    }
  }
  simdjson::dom::array dropped;
  if (doc["dropped_entries"].get(dropped) == simdjson::SUCCESS) {
    for (auto d : dropped) {
      std::string_view ts;
      simdjson::dom::object labels;
      if (d["timestamp"].get(ts) != simdjson::SUCCESS ||
          d["labels"].get(labels) != simdjson::SUCCESS) {
        return false;
      }
      ++r->dropped;
    }
  }
  return true;
}

// Reads what is available within `wait`; returns false on a malformed frame.
bool Pump(WsClient* c, std::chrono::milliseconds wait, Received* r) {
  if (r->closed)
    return true;
  WsMessage m = c->Read(wait);
  if (m.kind == WsMessage::kClosed) {
    r->closed = true;
    r->close_code = m.close_code;
    r->error = m.error;
  } else if (m.kind == WsMessage::kText) {
    return AddFrame(m.text, r);
  }
  return true;
}

class TailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string config = tmp_.path() + "/sluice.yaml";
    std::ofstream(config) << "auth_enabled: true\n";
    server_ = std::make_unique<ServerProcess>(tmp_.path() + "/data",
                                              std::vector<std::string>{"--config", config});
    ASSERT_TRUE(server_->Start()) << server_->log();
  }

  void TearDown() override {
    if (server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
    EXPECT_EQ(server_->log().find("AddressSanitizer"), std::string::npos) << server_->log();
  }

  std::string Target(const std::string& query, const std::string& extra = "") const {
    return "/loki/api/v1/tail?query=" + UrlEncode(query) + extra;
  }

  WsConnectResult Tail(const std::string& tenant, const std::string& query,
                       const std::string& extra = "", int receive_buffer = 0) {
    WsConnectOptions o;
    o.headers = {{"X-Scope-OrgID", tenant}};
    o.receive_buffer_bytes = receive_buffer;
    return WsConnect(server_->port(), Target(query, extra), o);
  }

  // `n` entries of stream {job=<job>} starting at `ts`, 1 ns apart.
  static std::string Batch(const std::string& job, int64_t ts, int n, size_t line_bytes = 40) {
    TestStream s{{{"job", job}}, {}};
    for (int i = 0; i < n; ++i) {
      std::string line = "entry " + std::to_string(ts + i) + " ";
      line.resize(std::max(line.size(), line_bytes), 'x');
      s.entries.push_back({ts + i, line, {}});
    }
    return JsonPushBody({s});
  }

  HttpResult PushBatch(const std::string& tenant, const std::string& body) {
    return Push(server_->port(), tenant, "application/json", body);
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TailTest, FiftyConcurrentClientsEachReceiveEveryEntryInOrder) {
  constexpr int kTenants = 5;
  constexpr int kBatches = 10, kPerBatch = 20;
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int t = 0; t < kTenants; ++t) {
    for (int i = 0; i < kMaxTailsPerTenant; ++i) {
      WsConnectResult c = Tail("tenant-" + std::to_string(t), R"({job="live"})");
      ASSERT_NE(c.client, nullptr) << c.http_status << " " << c.body << " " << c.error;
      clients.push_back(std::move(c.client));
    }
  }
  // The tenant's limit: the 11th tail is refused before the upgrade.
  WsConnectResult extra = Tail("tenant-0", R"({job="live"})");
  EXPECT_EQ(extra.client, nullptr);
  EXPECT_EQ(extra.http_status, 400);
  EXPECT_EQ(extra.body, "max concurrent tail requests limit exceeded");

  const int64_t base = NowNs();
  std::vector<int64_t> want;
  for (int b = 0; b < kBatches; ++b) {
    for (int t = 0; t < kTenants; ++t) {
      HttpResult r =
          PushBatch("tenant-" + std::to_string(t), Batch("live", base + b * kPerBatch, kPerBatch));
      ASSERT_EQ(r.status, 204) << r.body;
    }
    // Another stream of the tenant: not matched by the query.
    ASSERT_EQ(PushBatch("tenant-0", Batch("other", base + b * kPerBatch, 3)).status, 204);
    for (int i = 0; i < kPerBatch; ++i)
      want.push_back(base + b * kPerBatch + i);
  }
  std::vector<Received> got(clients.size());
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  for (size_t i = 0; i < clients.size(); ++i) {
    while (got[i].timestamps.size() < want.size() && !got[i].closed && Clock::now() < deadline)
      ASSERT_TRUE(Pump(clients[i].get(), std::chrono::milliseconds(100), &got[i]));
    EXPECT_EQ(got[i].timestamps, want) << "client " << i << " " << got[i].error;
    EXPECT_EQ(got[i].dropped, 0u);
  }
  for (auto& c : clients)
    c->Close();
}

TEST_F(TailTest, SlowClientDoesNotBlockPushesOrOtherClientsAndLearnsOfDrops) {
  // A client with a tiny receive buffer that does not read, and one that reads all along (on
  // its own thread).
  WsConnectResult slow = Tail("t", R"({job="flood"})", "", /*receive_buffer=*/4096);
  ASSERT_NE(slow.client, nullptr) << slow.error;
  WsConnectResult fast = Tail("t", R"({job="flood"})");
  ASSERT_NE(fast.client, nullptr) << fast.error;

  // 24 000 entries of 500 bytes: more than the socket buffers (a few MB) plus the
  // per-subscriber queue (10 000 entries) can hold for the stalled client.
  constexpr int kBatches = 24, kPerBatch = 1000;
  constexpr size_t kTotal = kBatches * kPerBatch;
  Received fast_got;
  bool fast_ok = true;
  std::thread fast_reader([&] {
    const auto deadline = Clock::now() + std::chrono::seconds(40);
    while (fast_ok && fast_got.timestamps.size() < kTotal && !fast_got.closed &&
           Clock::now() < deadline) {
      fast_ok = Pump(fast.client.get(), std::chrono::milliseconds(100), &fast_got);
    }
  });
  const int64_t base = NowNs();
  for (int b = 0; b < kBatches; ++b) {
    HttpResult r = PushBatch("t", Batch("flood", base + b * kPerBatch, kPerBatch, 500));
    EXPECT_EQ(r.status, 204) << "push " << b << ": " << r.body << r.error;
  }
  // Other requests are served meanwhile.
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/ready").status, 200);
  fast_reader.join();
  EXPECT_TRUE(fast_ok);
  EXPECT_EQ(fast_got.timestamps.size(), kTotal) << fast_got.error;
  EXPECT_EQ(fast_got.dropped, 0u);
  EXPECT_TRUE(std::is_sorted(fast_got.timestamps.begin(), fast_got.timestamps.end()));

  // Now the slow client reads: it stayed connected (as with Loki) and gets part of the
  // entries, then a dropped_entries notice.
  Received slow_got;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (slow_got.dropped == 0 && !slow_got.closed && Clock::now() < deadline)
    ASSERT_TRUE(Pump(slow.client.get(), std::chrono::milliseconds(100), &slow_got));
  EXPECT_FALSE(slow_got.closed) << slow_got.error;
  EXPECT_GT(slow_got.dropped, 0u) << "received " << slow_got.timestamps.size();
  EXPECT_GT(slow_got.timestamps.size(), 0u);
  EXPECT_LT(slow_got.timestamps.size(), kTotal);
  EXPECT_TRUE(std::is_sorted(slow_got.timestamps.begin(), slow_got.timestamps.end()));
  fast.client->Close();
}

TEST_F(TailTest, AbruptDisconnectsReleaseTheirSubscriptions) {
  // Fill the tenant's tail limit, then drop every client without a close frame.
  for (int round = 0; round < 2; ++round) {
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < kMaxTailsPerTenant; ++i) {
      WsConnectResult c = Tail("t", R"({job="x"})");
      // A disconnect is noticed asynchronously: poll until the slot is free again.
      const auto deadline = Clock::now() + std::chrono::seconds(20);
      while (c.client == nullptr && c.http_status == 400 && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        c = Tail("t", R"({job="x"})");
      }
      ASSERT_NE(c.client, nullptr) << c.http_status << " " << c.body << " " << c.error;
      clients.push_back(std::move(c.client));
    }
    ASSERT_EQ(PushBatch("t", Batch("x", NowNs(), 50)).status, 204);
    for (size_t i = 0; i < clients.size(); ++i) {
      if (i % 3 == 0) {
        clients[i]->Abort(/*reset=*/true);
      } else if (i % 3 == 1) {
        clients[i]->Abort(/*reset=*/false);
      } else {
        clients[i]->Close();
      }
    }
    // Pushing to vanished clients is harmless.
    ASSERT_EQ(PushBatch("t", Batch("x", NowNs(), 50)).status, 204);
  }
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/ready").status, 200);
}

TEST_F(TailTest, SigtermWithTailsOpenExitsCleanly) {
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 8; ++i) {
    WsConnectResult c = Tail("t", R"({job="s"})");
    ASSERT_NE(c.client, nullptr) << c.error;
    clients.push_back(std::move(c.client));
  }
  // One that does not read, with a backlog the server cannot write.
  WsConnectResult stuck = Tail("t", R"({job="s"})", "", /*receive_buffer=*/4096);
  ASSERT_NE(stuck.client, nullptr) << stuck.error;
  for (int b = 0; b < 4; ++b)
    ASSERT_EQ(PushBatch("t", Batch("s", NowNs(), 1000, 1000)).status, 204);

  // The reading clients take what was pushed (entries or dropped notices), so only the close
  // frame is left to send them.
  for (auto& c : clients) {
    Received r;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (r.timestamps.size() + r.dropped < 4000 && Clock::now() < deadline)
      ASSERT_TRUE(Pump(c.get(), std::chrono::milliseconds(100), &r));
  }
  // SIGTERM while the clients keep reading, as browsers do. Every reading client gets a close
  // frame, "going away" (1001), after its entries; the one that does not read is cut off (the
  // server waits on it for 2 s at most).
  const auto t0 = Clock::now();
  int exit_status = -2;
  std::thread stopper([&] { exit_status = server_->Stop(); });
  std::vector<Received> got(clients.size());
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline &&
         std::any_of(got.begin(), got.end(), [](const Received& r) { return !r.closed; })) {
    for (size_t i = 0; i < clients.size(); ++i)
      ASSERT_TRUE(Pump(clients[i].get(), std::chrono::milliseconds(10), &got[i]));
  }
  stopper.join();
  EXPECT_EQ(exit_status, 0) << server_->log();
  // Stop() waits up to 120 s; a prompt exit is well inside the default 10 s grace period.
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(15));
  for (const Received& r : got) {
    EXPECT_TRUE(r.closed);
    EXPECT_EQ(r.close_code, 1001) << "connection dropped without a close frame: " << r.error;
  }
  const std::string log = server_->log();
  EXPECT_EQ(log.find("AddressSanitizer"), std::string::npos) << log;
  EXPECT_EQ(log.find("terminate called"), std::string::npos) << log;
}

TEST_F(TailTest, BadParametersAreRefusedBeforeTheUpgrade) {
  WsConnectResult c = Tail("t", R"({job="x"})", "&delay_for=6");
  EXPECT_EQ(c.client, nullptr);
  EXPECT_EQ(c.http_status, 400);
  EXPECT_EQ(c.body, "delay_for can't be greater than 5");

  c = Tail("t", R"({job="x"} |= )");
  EXPECT_EQ(c.client, nullptr);
  EXPECT_EQ(c.http_status, 400);
  EXPECT_NE(c.body.find("parse error"), std::string::npos) << c.body;

  c = Tail("t", R"(count_over_time({job="x"}[1m]))");
  EXPECT_EQ(c.client, nullptr);
  EXPECT_EQ(c.http_status, 400) << c.body;

  // Auth is on: no tenant, 401.
  c = WsConnect(server_->port(), Target(R"({job="x"})"));
  EXPECT_EQ(c.client, nullptr);
  EXPECT_EQ(c.http_status, 401) << c.body;

  // delay_for = 5 is accepted and holds entries back, then delivers them.
  c = Tail("t", R"({job="x"})", "&delay_for=5&limit=10");
  ASSERT_NE(c.client, nullptr) << c.http_status << " " << c.body;
  const int64_t ts = NowNs();
  ASSERT_EQ(PushBatch("t", Batch("x", ts, 3)).status, 204);
  Received r;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (r.timestamps.size() < 3 && !r.closed && Clock::now() < deadline)
    ASSERT_TRUE(Pump(c.client.get(), std::chrono::milliseconds(200), &r));
  EXPECT_EQ(r.timestamps, (std::vector<int64_t>{ts, ts + 1, ts + 2}));
  c.client->Close();
}

}  // namespace
}  // namespace sluice::integration
