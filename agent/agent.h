// Agent: sluice-agent's running parts wired from an AgentConfig: positions, one Shipper per
// client, one TailManager thread over every target, and the /metrics + /ready server.
//
//   AgentOptions options;
//   options.config = std::move(config);
//   SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Agent> agent, Agent::Create(std::move(options)));
//   SLUICE_RETURN_IF_ERROR(agent->Start());
//   ...  // until SIGTERM
//   agent->Stop();  // stop reading, last flush within the deadline, positions written
//
// Thread-safety: Create/Start/Stop from one thread.
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "agent/agent_metrics.h"
#include "agent/config.h"
#include "agent/durable_acks.h"
#include "agent/http_client.h"
#include "agent/positions.h"
#include "agent/shipper.h"
#include "agent/status_server.h"
#include "agent/tail_manager.h"

namespace sluice::agent {

struct AgentOptions {
  AgentConfig config;
  bool dry_run = false;          // print entries instead of pushing; positions not written
  const Clock* clock = nullptr;  // null: Clock::Default()
  FileSystem* fs = nullptr;      // positions file; null: FileSystem::Default()
  // Builds the HTTP client of each shipper; null: NewBeastHttpClient.
  std::function<std::unique_ptr<HttpClient>()> http_factory;
  int64_t poll_period_ns = 1'000'000'000;
};

class Agent {
 public:
  static Result<std::unique_ptr<Agent>> Create(AgentOptions options);
  ~Agent();

  Status Start();
  // Idempotent.
  void Stop();

  uint16_t http_port() const { return status_ ? status_->port() : 0; }

  AgentMetrics& metrics() { return *metrics_; }

  Registry& registry() { return registry_; }

 private:
  explicit Agent(AgentOptions options);
  Status Build();

  AgentOptions options_;
  const Clock* clock_;
  Registry registry_;
  std::unique_ptr<AgentMetrics> metrics_;
  std::unique_ptr<Positions> positions_;
  DurableAcks acks_;  // outlives the shippers and the tail manager
  std::vector<std::unique_ptr<Shipper>> shippers_;
  std::unique_ptr<ShipperFanout> fanout_;
  std::vector<std::unique_ptr<CompiledPipeline>> pipelines_;
  std::vector<std::unique_ptr<JobContext>> jobs_;
  RateLimitedLog invalid_log_;
  std::unique_ptr<TailManager> tail_;
  std::unique_ptr<StatusServer> status_;
  std::thread tail_thread_;
  std::atomic<bool> ready_{false};
  bool stopped_ = false;
};

}  // namespace sluice::agent
