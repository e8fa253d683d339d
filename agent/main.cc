// sluice-agent: tails container logs and ships them to Sluice or any Loki; `validate` checks
// JSON lines against a schema in CI.
#include <cstring>
#include <string>
#include <vector>

#include "agent/command_line.h"
#include "agent/validate_command.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "validate") == 0) {
    return sluice::agent::RunValidateCommand(argc - 1, argv + 1);
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  return sluice::agent::RunAgentCommand(args);
}
