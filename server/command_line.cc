#include "server/command_line.h"

namespace sluice::server {

std::string UsageText() {
  return R"(sluice: a log aggregation server speaking Grafana Loki's HTTP API.

Usage:
  sluice serve [flags]     run the server
  sluice --help            show this help
  sluice --version         print the version

Flags of serve:
  --listen HOST:PORT   address to listen on (default 127.0.0.1:3100; use 0.0.0.0:3100 for
                       other hosts)
  --data-dir DIR       where the WAL, chunks and index live (default ./data)
  --config FILE        YAML configuration (auth_enabled, server, storage, limits_config,
                       overrides); flags override it
  --log-level LEVEL    trace, debug, info, warn, error or off (default info)

Signals: SIGTERM / SIGINT stop accepting, finish in-flight requests, flush and exit.
)";
}

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  if (args.empty())
    return cl;  // help
  size_t i = 0;
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    cl.command = CommandLine::Command::kHelp;
    return cl;
  }
  if (first == "--version" || first == "-version" || first == "version") {
    cl.command = CommandLine::Command::kVersion;
    return cl;
  }
  if (first != "serve") {
    return InvalidArgumentError("unknown command \"" + first +
                                "\" (want serve, --help or --version)");
  }
  cl.command = CommandLine::Command::kServe;
  for (i = 1; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      cl.command = CommandLine::Command::kHelp;
      return cl;
    }
    if (arg.rfind("--", 0) != 0)
      return InvalidArgumentError("unexpected argument \"" + arg + "\"");
    std::string name = arg, value;
    bool has_value = false;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    std::optional<std::string>* target = nullptr;
    if (name == "--listen")
      target = &cl.listen;
    else if (name == "--data-dir")
      target = &cl.data_dir;
    else if (name == "--config" || name == "--config.file")
      target = &cl.config;
    else if (name == "--log-level" || name == "--log.level")
      target = &cl.log_level;
    else
      return InvalidArgumentError("unknown flag \"" + name + "\" (see sluice --help)");
    if (!has_value) {
      if (i + 1 >= args.size())
        return InvalidArgumentError("flag " + name + " needs a value");
      value = args[++i];
    }
    if (value.empty())
      return InvalidArgumentError("flag " + name + " needs a non-empty value");
    *target = value;
  }
  return cl;
}

}  // namespace sluice::server
