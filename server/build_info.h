// Version and build identification of the sluice binary (--version, /status/buildinfo).
#pragma once

namespace sluice::server {

inline constexpr const char* kSluiceVersion = "0.1.0";
// Filled in by the build when available (server/CMakeLists.txt), else "unknown".
#ifndef SLUICE_GIT_REVISION
#define SLUICE_GIT_REVISION "unknown"
#endif
inline constexpr const char* kSluiceRevision = SLUICE_GIT_REVISION;
inline constexpr const char* kSluiceBuildDate = "";

}  // namespace sluice::server
