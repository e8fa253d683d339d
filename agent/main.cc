// sluice-agent: tails container logs and ships them to Sluice or any Loki; `validate` checks
// JSON lines against a schema in CI.
#include <cstdio>
#include <cstring>

#include "agent/validate_command.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "validate") == 0) {
    return sluice::agent::RunValidateCommand(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "usage: sluice-agent --config FILE.yaml | sluice-agent validate ...\n");
  return 2;
}
