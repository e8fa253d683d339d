// sluice-agent's command line: `--config FILE` / `--config=FILE` / Promtail's
// `-config.file=FILE` (or `-config.file FILE`), `--dry-run`, `--log-level LEVEL`, `--help`.
// Thread-safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace sluice::agent {

struct CommandLine {
  std::string config_path;
  bool dry_run = false;
  bool help = false;
  std::string log_level;  // "" = the config's server.log_level
};

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

std::string UsageText();

// The whole `sluice-agent` (tailing) command: returns the exit code. Blocks until SIGTERM or
// SIGINT, then shuts down cleanly.
int RunAgentCommand(const std::vector<std::string>& args);

}  // namespace sluice::agent
