#include "agent/validate_command.h"

#include <cstdio>

namespace sluice::agent {

int RunValidateCommand(int, char**) {
  std::fprintf(stderr, "sluice-agent validate: not built yet\n");
  return 2;
}

}  // namespace sluice::agent
