// Process logging setup over spdlog. Modules log with spdlog::info(...) etc. directly;
// binaries call InitLogging once at start.
#pragma once

#include <string_view>

#include "common/status.h"

namespace sluice {

// level: trace, debug, info, warn, error, off. Logs go to stderr with timestamps.
Status InitLogging(std::string_view level);

}  // namespace sluice
