// The `sluice` command line: `sluice serve [flags]`, `sluice --help`, `sluice --version`.
// Parsing only (no side effects), so it is unit-tested without starting anything.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace sluice::server {

struct CommandLine {
  enum class Command { kServe, kHelp, kVersion };
  Command command = Command::kHelp;
  // Flags of `serve`; unset ones fall back to the config file, then to the defaults.
  std::optional<std::string> listen;     // --listen host:port
  std::optional<std::string> data_dir;   // --data-dir DIR
  std::optional<std::string> config;     // --config FILE.yaml
  std::optional<std::string> log_level;  // --log-level LEVEL
};

// `args` excludes argv[0]. Accepts `--flag value` and `--flag=value`. Errors (InvalidArgument)
// name the bad flag or command.
Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

// The --help text.
std::string UsageText();

}  // namespace sluice::server
