// End to end: the real sluice-agent tails genlogs output (with invalid lines) while the files
// rotate by rename and by copytruncate, the server is stopped for a while and restarted, and
// the agent is kill -9ed and restarted. Afterwards every valid line is queryable (count and
// content), no invalid line is in a valid stream, duplicates come only from batches in flight
// at a kill (bounded by the buffer limit, in lines), and the agent's metrics agree (no lag
// left, nothing dropped by the server).
// Skipped when SLUICE_BIN_DIR lacks `sluice` or `sluice-agent`.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "http_client.h"
#include "loki_test_util.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

std::string AgentBinary() {
  return std::string(SLUICE_BIN_DIR) + "/sluice-agent";
}

class AgentProcess {
 public:
  AgentProcess(std::string config, std::string log)
      : config_(std::move(config)), log_(std::move(log)) {}

  ~AgentProcess() { Kill(); }

  bool Start(uint16_t port) {
    port_ = port;
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* f = std::freopen(log_.c_str(), "a", stderr);
      (void)f;
      std::string arg = "-config.file=" + config_;  // Promtail's flag
      ::execl(AgentBinary().c_str(), "sluice-agent", arg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 600; ++i) {
      if (HttpRequest(port_, "GET", "/ready").status == 200)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  int Term() {
    if (pid_ <= 0)
      return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void Kill() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string Metrics() { return HttpRequest(port_, "GET", "/metrics").body; }

  std::string log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string all = ss.str();
    return all.size() > 20000 ? all.substr(all.size() - 20000) : all;
  }

 private:
  std::string config_, log_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// Sum of every sample of a metric family in Prometheus text (optionally with a label filter).
double MetricSum(const std::string& text, const std::string& name, const std::string& filter = "") {
  double sum = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) != 0)
      continue;
    char next = line.size() > name.size() ? line[name.size()] : ' ';
    if (next != '{' && next != ' ')
      continue;
    if (!filter.empty() && line.find(filter) == std::string::npos)
      continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

// genlogs' four kinds of invalid line, recognised without a schema library.
bool IsInvalid(const std::string& l) {
  return l.empty() || l[0] != '{' || l.find("\"trace_id\"") == std::string::npos ||
         l.find("\"span_id\":\"not-a-span\"") != std::string::npos ||
         l.find("\"service_name\":\"Order_Service\"") != std::string::npos;
}

struct Shipped {
  std::vector<std::string> valid_stream_lines;
  size_t same_timestamp_repeats = 0;  // (timestamp, line) seen twice: a batch stored twice
  std::vector<std::string> quarantine_lines;
};

Shipped QueryAll(uint16_t port, int64_t start_ns) {
  Shipped out;
  std::set<std::pair<int64_t, std::string>> boundary;
  int64_t from = start_ns;
  for (int page = 0; page < 1000; ++page) {
    QueryArgs a;
    a.tenant = "e2e";
    a.query = R"({job="e2e"})";
    a.start_ns = from;
    a.end_ns = NowNs() + 60'000'000'000;
    a.limit = 5000;
    a.direction = "forward";
    QueryStreams r = QueryRange(port, a);
    if (r.http_status != 200) {
      ADD_FAILURE() << "query failed: " << r.raw.substr(0, 300);
      return out;
    }
    std::vector<std::tuple<int64_t, std::string, bool>> all;
    for (const TestStream& s : r.streams) {
      bool quarantine = s.labels.contains("schema_error");
      for (const TestEntry& e : s.entries)
        all.emplace_back(e.ts_ns, e.line, quarantine);
    }
    std::sort(all.begin(), all.end());
    size_t fresh = 0;
    int64_t last = from;
    std::set<std::pair<int64_t, std::string>> next_boundary;
    for (size_t i = 0; i < all.size(); ++i) {
      const auto& [ts, line, quarantine] = all[i];
      if (boundary.contains({ts, line}))
        continue;
      ++fresh;
      if (i > 0 && std::get<0>(all[i - 1]) == ts && std::get<1>(all[i - 1]) == line)
        ++out.same_timestamp_repeats;
      (quarantine ? out.quarantine_lines : out.valid_stream_lines).push_back(line);
      last = std::max(last, ts);
    }
    for (const auto& [ts, line, q] : all) {
      if (ts == last)
        next_boundary.insert({ts, line});
    }
    if (all.size() < 5000 || fresh == 0)
      break;
    boundary = std::move(next_boundary);
    from = last;
  }
  return out;
}

TEST(AgentE2ETest, RotationRestartsAndKillLoseNothing) {
  if (!std::filesystem::exists(SluiceBinary()) || !std::filesystem::exists(AgentBinary())) {
    GTEST_SKIP() << "needs " << SluiceBinary() << " and " << AgentBinary();
  }
  TempDir tmp;
  const std::string gen = tmp.path() + "/gen", logs = tmp.path() + "/logs";
  std::filesystem::create_directories(gen);
  std::filesystem::create_directories(logs);
  std::string cmd = "python3 " SLUICE_SHARED_DIR "/tools/genlogs.py --lines 20000 --out-dir " +
                    gen + " --invalid-rate 0.01 >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::map<std::string, std::vector<std::string>> input;  // file name -> lines
  size_t total = 0, invalid = 0;
  for (const auto& f : std::filesystem::directory_iterator(gen)) {
    std::ifstream in(f.path());
    std::string line;
    auto& lines = input[f.path().stem().string() + ".log"];
    while (std::getline(in, line)) {
      lines.push_back(line);
      ++total;
      invalid += IsInvalid(line);
    }
  }
  ASSERT_GE(total, 20000u);
  ASSERT_GT(invalid, 0u);

  // The agent holds at most kMaxInFlightBatches batches of kBatchSize bytes from the moment
  // they are read until the positions file records their acknowledgement (its buffer limit).
  constexpr int64_t kBatchSize = 65536;
  constexpr int64_t kMaxInFlightBatches = 4;
  size_t min_valid_line = SIZE_MAX;  // duplicates are counted among valid lines
  for (const auto& [name, lines] : input) {
    for (const std::string& l : lines) {
      if (!IsInvalid(l))
        min_valid_line = std::min(min_valid_line, l.size());
    }
  }

  ServerProcess server(tmp.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  const uint16_t agent_port = PickFreePort();
  const std::string config = tmp.path() + "/agent.yaml";
  {
    std::ofstream out(config);
    out << "server:\n  http_listen_port: " << agent_port << "\n  http_listen_address: 127.0.0.1\n"
        << "  grpc_listen_port: 0\n  graceful_shutdown_timeout: 5s\n"
        << "positions:\n  filename: " << tmp.path() << "/positions.yaml\n  sync_period: 200ms\n"
        << "clients:\n  - url: http://127.0.0.1:" << server.port() << "/loki/api/v1/push\n"
        << "    tenant_id: e2e\n    batchwait: 100ms\n    batchsize: " << kBatchSize << "\n"
        << "    backoff_config: {min_period: 50ms, max_period: 500ms}\n"
        // Small, so the agent falls behind while the server is down (it stops reading).
        << "    max_buffered_bytes: " << kBatchSize * kMaxInFlightBatches << "\n"
        << "target_config:\n  sync_period: 1s\n"
        << "scrape_configs:\n  - job_name: e2e\n    static_configs:\n      - labels:\n"
        << "          job: e2e\n          __path__: " << logs << "/*.log*\n"
        << "    pipeline_stages:\n"
        << "      - json: {expressions: {level: level, trace_id: trace_id}}\n"
        << "      - labels: {level: }\n"
        << "      - structured_metadata: {trace_id: }\n"
        << "      - schema: {path: " SLUICE_SHARED_DIR "/schemas/service-log.schema.json, "
        << "action: quarantine}\n";
  }
  const int64_t start_ns = NowNs() - 1'000'000'000;
  AgentProcess agent(config, tmp.path() + "/agent.log");
  ASSERT_TRUE(agent.Start(agent_port)) << agent.log();

  // Write in 10 steps. Rotation by rename after step 2; the server is down from step 3 to
  // step 6; copytruncate after step 4, while the server is down and the agent is behind (its
  // buffer is full, so the copy holds bytes it never read), and after step 7, caught up; the agent
  // is kill -9ed after step 5 (server still down, the copy's rest not read yet) and again after
  // step 8 (catching up). The writer pauses across each rotation, as with logrotate: any loss is
  // the agent's. The glob (`*.log*`) matches the rotated files and the copies too: a copy found by
  // a rescan must not be shipped again from its start (duplicates are bounded below).
  size_t bytes_written = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  auto kill_and_restart = [&] {
    agent.Kill();
    return agent.Start(agent_port);
  };
  for (int step = 0; step < 10; ++step) {
    std::cout << "e2e: step " << step << " at " << elapsed() << " s\n";
    for (auto& [name, lines] : input) {
      const std::string path = logs + "/" + name;
      size_t from = lines.size() * step / 10, to = lines.size() * (step + 1) / 10;
      std::ofstream out(path, std::ios::app);
      for (size_t i = from; i < to; ++i) {
        out << lines[i] << "\n";
        bytes_written += lines[i].size() + 1;
      }
    }
    if (step == 2) {
      for (auto& [name, lines] : input) {
        std::filesystem::rename(logs + "/" + name, logs + "/" + name + ".1");
      }
    }
    if (step == 3)
      server.Stop();
    if (step == 4) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      const double read = MetricSum(agent.Metrics(), "sluice_agent_read_bytes_total");
      EXPECT_LT(read, static_cast<double>(bytes_written)) << "the agent should be behind";
      for (auto& [name, lines] : input) {
        const std::string path = logs + "/" + name;
        std::filesystem::copy_file(path, path + ".2");
        std::filesystem::resize_file(path, 0);
      }
    }
    if (step == 5) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ASSERT_TRUE(kill_and_restart()) << agent.log();
    }
    if (step == 6) {
      ASSERT_TRUE(server.Start(server.port())) << server.log();
    }
    if (step == 7) {
      // copytruncate again, the agent caught up this time: the copy (matched by the glob) holds
      // lines already shipped; read again from its start it would exceed the duplicate bound.
      std::this_thread::sleep_for(std::chrono::milliseconds(500));  // lag is updated per sync
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (std::chrono::steady_clock::now() < deadline) {
        const std::string m = agent.Metrics();
        if (MetricSum(m, "sluice_agent_file_lag_bytes") == 0 &&
            MetricSum(m, "sluice_agent_buffered_bytes") == 0)
          break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      for (auto& [name, lines] : input) {
        const std::string path = logs + "/" + name;
        std::filesystem::copy_file(path, path + ".3");
        std::filesystem::resize_file(path, 0);
      }
    }
    if (step == 8) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ASSERT_TRUE(kill_and_restart()) << agent.log();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }

  std::cout << "e2e: written at " << elapsed() << " s\n";
  // Wait until no file lags, nothing is buffered and the server has every valid line. Bounded
  // generously (sanitizer builds on a loaded 2-core machine are slow; the agent may sit out a
  // backoff); not a timing assertion: a stall fails below, with the agent's metrics.
  size_t valid = total - invalid;
  Shipped shipped;
  // Gives up when the agent has been idle (nothing lagging or buffered) with the same count
  // queryable for 30 s: what is missing then will not come.
  const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  size_t idle_count = 0;
  auto idle_since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < drain_deadline) {
    std::string m = agent.Metrics();
    const auto now = std::chrono::steady_clock::now();
    if (MetricSum(m, "sluice_agent_file_lag_bytes") == 0 &&
        MetricSum(m, "sluice_agent_buffered_bytes") == 0) {
      shipped = QueryAll(server.port(), start_ns);
      std::set<std::string> unique(shipped.valid_stream_lines.begin(),
                                   shipped.valid_stream_lines.end());
      if (unique.size() >= valid)
        break;
      if (unique.size() != idle_count) {
        idle_count = unique.size();
        idle_since = now;
      } else if (now - idle_since > std::chrono::seconds(30)) {
        break;
      }
    } else {
      idle_since = now;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::cout << "e2e: drained at " << elapsed() << " s\n";
  std::string metrics = agent.Metrics();
  EXPECT_EQ(agent.Term(), 0);
  {
    // The server's own count, as a cross-check of the paged query.
    QueryArgs count;
    HttpResult r = HttpRequest(
        server.port(), "GET",
        "/loki/api/v1/query?query=" + UrlEncode("sum(count_over_time({job=\"e2e\"}[1d]))") +
            "&time=" + std::to_string(NowNs() + 1'000'000'000),
        {{"X-Scope-OrgID", "e2e"}});
    std::cout << "e2e: server count " << r.body.substr(0, 200) << "\n";
  }
  if (std::getenv("SLUICE_E2E_KEEP") != nullptr) {
    std::filesystem::copy(tmp.path(), "/tmp/agent-e2e-keep",
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing);
  }

  std::multiset<std::string> expected_valid, expected_invalid;
  for (const auto& [name, lines] : input) {
    for (const std::string& l : lines)
      (IsInvalid(l) ? expected_invalid : expected_valid).insert(l);
  }
  std::set<std::string> got_valid(shipped.valid_stream_lines.begin(),
                                  shipped.valid_stream_lines.end());
  size_t missing = 0;
  for (const std::string& l : expected_valid)
    missing += !got_valid.contains(l);
  EXPECT_EQ(missing, 0u) << "valid lines not queryable; agent metrics:\n" << metrics;
  for (const std::string& l : shipped.valid_stream_lines) {
    EXPECT_FALSE(IsInvalid(l)) << "invalid line shipped as valid: " << l;
    if (IsInvalid(l))
      break;
  }
  for (const std::string& l : shipped.quarantine_lines) {
    EXPECT_TRUE(IsInvalid(l)) << "valid line quarantined: " << l;
    if (!IsInvalid(l))
      break;
  }
  std::set<std::string> got_invalid(shipped.quarantine_lines.begin(),
                                    shipped.quarantine_lines.end());
  EXPECT_EQ(got_invalid.size(),
            std::set<std::string>(expected_invalid.begin(), expected_invalid.end()).size());
  const size_t duplicates = shipped.valid_stream_lines.size() - got_valid.size();
  std::cout << "e2e: " << total << " lines (" << invalid << " invalid), shipped "
            << shipped.valid_stream_lines.size() << " valid-stream entries, " << duplicates
            << " duplicates (resent after kill -9 / unacknowledged batches; "
            << shipped.same_timestamp_repeats << " of them with the same timestamp)\n";
  // What is sent again is what was in flight at a kill: read, but its acknowledgement not yet
  // in the positions file. The agent reads a line only while it holds less than
  // kBatchSize * kMaxInFlightBatches bytes, and holds each entry as its line + 16 bytes or more
  // (ShipEntry::Bytes), so at most that / (min_valid_line + 16) valid lines plus the one that
  // crossed the limit per kill; plus one batch the server may have stored as it was stopped,
  // unanswered.
  const size_t entry_min = min_valid_line + 16;
  const size_t per_kill = static_cast<size_t>(kBatchSize * kMaxInFlightBatches) / entry_min + 1;
  const size_t server_stop = static_cast<size_t>(kBatchSize) / entry_min + 1;
  const size_t bound = 2 * per_kill + server_stop;
  std::cout << "e2e: duplicate bound " << bound << " lines (2 kills x " << per_kill
            << " + server stop " << server_stop << "; shortest valid line " << min_valid_line
            << " bytes)\n";
  EXPECT_LE(duplicates, bound);
  EXPECT_EQ(MetricSum(metrics, "sluice_agent_file_lag_bytes"), 0);
  EXPECT_EQ(MetricSum(metrics, "sluice_agent_dropped_entries_total", "reason=\"http_4"), 0);
  EXPECT_GT(MetricSum(metrics, "sluice_agent_schema_invalid_lines_total"), 0);
}

}  // namespace
}  // namespace sluice::integration
