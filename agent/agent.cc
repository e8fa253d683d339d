#include "agent/agent.h"

#include <random>

#include <spdlog/spdlog.h>

#include "agent/pipeline_builder.h"
#include "common/clock.h"

namespace sluice::agent {

Agent::Agent(AgentOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Default()) {}

Agent::~Agent() {
  Stop();
}

Result<std::unique_ptr<Agent>> Agent::Create(AgentOptions options) {
  std::unique_ptr<Agent> agent(new Agent(std::move(options)));
  SLUICE_RETURN_IF_ERROR(agent->Build());
  return agent;
}

Status Agent::Build() {
  const AgentConfig& config = options_.config;
  metrics_ = std::make_unique<AgentMetrics>(&registry_);
  std::string problem;
  Positions::Options po;
  po.fs = options_.fs;
  po.filename = config.positions.filename;
  po.read_only = options_.dry_run;
  po.writes_metric = metrics_->positions_writes;
  SLUICE_ASSIGN_OR_RETURN(positions_, Positions::Open(po, &problem));
  if (!problem.empty())
    spdlog::error("{}", problem);

  std::random_device rd;
  std::vector<Shipper*> raw;
  for (const ClientConfig& client : config.clients) {
    Shipper::Options so;
    so.client = client;
    if (!options_.dry_run) {
      so.http = options_.http_factory ? options_.http_factory() : NewBeastHttpClient();
    }
    so.metrics = metrics_.get();
    so.clock = clock_;
    so.dry_run = options_.dry_run;
    so.seed = (static_cast<uint64_t>(rd()) << 32) | rd();
    so.acks = options_.dry_run ? nullptr : &acks_;
    shippers_.push_back(std::make_unique<Shipper>(std::move(so)));
    raw.push_back(shippers_.back().get());
  }
  fanout_ = std::make_unique<ShipperFanout>(std::move(raw));

  TailManagerOptions to;
  to.positions = positions_.get();
  to.metrics = metrics_.get();
  to.clock = clock_;
  to.sink = fanout_.get();
  to.acks = options_.dry_run ? nullptr : &acks_;
  to.rescan_period_ns = config.target_sync_period_ns;
  to.positions_sync_ns = config.positions.sync_period_ns;
  to.poll_period_ns = options_.poll_period_ns;
  to.positions_path = config.positions.filename;
  for (const ScrapeConfig& sc : config.scrape_configs) {
    PipelineBuildOptions bo;
    bo.base_dir = DirName(config.source_path);
    bo.job_name = sc.job_name;
    bo.clock = clock_;
    SLUICE_ASSIGN_OR_RETURN(CompiledPipeline compiled, BuildPipeline(sc.pipeline_stages, bo));
    pipelines_.push_back(std::make_unique<CompiledPipeline>(std::move(compiled)));
    auto job = std::make_unique<JobContext>();
    job->job = sc.job_name;
    job->pipeline = pipelines_.back().get();
    job->max_line_size = config.limits.max_line_size;
    job->max_line_size_truncate = config.limits.max_line_size_truncate;
    job->metrics = metrics_.get();
    job->sink = fanout_.get();
    job->clock = clock_;
    job->invalid_log = &invalid_log_;
    for (const StaticConfig& st : sc.static_configs) {
      auto path = st.labels.find("__path__");
      if (path == st.labels.end() || path->second.empty())
        continue;
      TargetSpec spec;
      spec.job = sc.job_name;
      spec.include = path->second;
      if (auto ex = st.labels.find("__path_exclude__"); ex != st.labels.end()) {
        spec.exclude = ex->second;
      }
      spec.labels = st.labels;
      spec.relabel = &sc.relabel_configs;
      spec.context = job.get();
      to.targets.push_back(std::move(spec));
    }
    jobs_.push_back(std::move(job));
  }
  tail_ = std::make_unique<TailManager>(std::move(to));
  return Status::Ok();
}

Status Agent::Start() {
  const ServerConfig& server = options_.config.server;
  if (!server.disable) {
    status_ = std::make_unique<StatusServer>([this] { return registry_.Render(); },
                                             [this] { return ready_.load(); });
    SLUICE_RETURN_IF_ERROR(status_->Start(server.http_listen_address, server.http_listen_port));
    spdlog::info("serving /metrics and /ready on {}:{}", server.http_listen_address,
                 status_->port());
  }
  for (auto& s : shippers_)
    s->Start();
  SLUICE_RETURN_IF_ERROR(tail_->Init());
  tail_thread_ = std::thread([this] { tail_->Run(); });
  ready_.store(true);
  return Status::Ok();
}

void Agent::Stop() {
  if (stopped_)
    return;
  stopped_ = true;
  ready_.store(false);
  if (tail_thread_.joinable()) {
    tail_->RequestStop();
    tail_thread_.join();
  }
  const int64_t deadline =
      clock_->MonotonicNanos() + options_.config.server.graceful_shutdown_timeout_ns;
  if (tail_) {
    tail_->FlushAll();
    tail_->SyncPositions().IgnoreError();
  }
  for (auto& s : shippers_)
    s->Shutdown(deadline);
  if (tail_)
    tail_->SyncPositions().IgnoreError();
  if (status_)
    status_->Stop();
}

}  // namespace sluice::agent
