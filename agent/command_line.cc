#include "agent/command_line.h"

#include <signal.h>

#include <cstdio>

#include <spdlog/spdlog.h>

#include "agent/agent.h"
#include "common/logging.h"

namespace sluice::agent {

std::string UsageText() {
  return "usage: sluice-agent --config FILE.yaml [--dry-run] [--log-level LEVEL]\n"
         "       sluice-agent -config.file=FILE.yaml   (Promtail's flag)\n"
         "       sluice-agent validate ...              (check JSON lines against a schema)\n"
         "\n"
         "Tails the files of the config's scrape_configs (Promtail's format) and ships them to\n"
         "every client. --dry-run prints what would be shipped instead and writes no positions.\n"
         "SIGTERM / SIGINT: stop reading, send what is held (server.graceful_shutdown_timeout),\n"
         "write positions, exit.\n";
}

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a.rfind("--", 0) == 0)
      a.erase(0, 1);  // -x and --x alike, as Go's flag package
    auto value = [&](const std::string& name) -> Result<std::string> {
      if (a.size() > name.size() + 1 && a.compare(0, name.size() + 1, name + "=") == 0) {
        return a.substr(name.size() + 1);
      }
      if (i + 1 >= args.size())
        return InvalidArgumentError(args[i] + " needs a value");
      return args[++i];
    };
    auto is = [&](const std::string& name) { return a == name || a.rfind(name + "=", 0) == 0; };
    if (a == "-h" || a == "-help") {
      cl.help = true;
    } else if (is("-config") || is("-config.file")) {
      SLUICE_ASSIGN_OR_RETURN(cl.config_path, value(is("-config") ? "-config" : "-config.file"));
    } else if (a == "-dry-run" || a == "-dry-run=true") {
      cl.dry_run = true;
    } else if (is("-log-level") || is("-log.level")) {
      SLUICE_ASSIGN_OR_RETURN(cl.log_level, value(is("-log-level") ? "-log-level" : "-log.level"));
    } else {
      return InvalidArgumentError("unknown argument " + args[i]);
    }
  }
  if (!cl.help && cl.config_path.empty())
    return InvalidArgumentError("--config FILE is required");
  return cl;
}

int RunAgentCommand(const std::vector<std::string>& args) {
  Result<CommandLine> cl = ParseCommandLine(args);
  if (!cl.ok()) {
    std::fprintf(stderr, "sluice-agent: %s\n\n%s", cl.status().message().c_str(),
                 UsageText().c_str());
    return 2;
  }
  if (cl->help) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  ConfigWarnings warnings;
  Result<AgentConfig> config = LoadConfigFile(cl->config_path, &warnings);
  if (!config.ok()) {
    std::fprintf(stderr, "sluice-agent: %s\n", config.status().message().c_str());
    return 2;
  }
  std::string level = cl->log_level.empty() ? config->server.log_level : cl->log_level;
  if (Status s = InitLogging(level); !s.ok()) {
    std::fprintf(stderr, "sluice-agent: %s\n", s.message().c_str());
    return 2;
  }
  for (const std::string& w : warnings)
    spdlog::warn("{}: {}", cl->config_path, w);

  // Block the signals in every thread; this one waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  AgentOptions options;
  options.config = std::move(*config);
  options.dry_run = cl->dry_run;
  Result<std::unique_ptr<Agent>> agent = Agent::Create(std::move(options));
  if (!agent.ok()) {
    spdlog::error("{}", agent.status().ToString());
    return 1;
  }
  if (Status s = (*agent)->Start(); !s.ok()) {
    spdlog::error("starting: {}", s.ToString());
    return 1;
  }
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("received signal {}; shutting down", sig);
  (*agent)->Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace sluice::agent
