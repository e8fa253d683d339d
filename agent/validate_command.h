// `sluice-agent validate`: checks files of JSON lines against a JSON Schema for CI.
#pragma once

namespace sluice::agent {

// argv[0] is "validate". Returns the process exit code: 0 all valid, 1 some invalid,
// 2 usage error or unreadable input, 3 schema invalid.
int RunValidateCommand(int argc, char** argv);

}  // namespace sluice::agent
