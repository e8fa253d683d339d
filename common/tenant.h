// Tenant IDs (X-Scope-OrgID) checked as Loki checks them (grafana/dskit tenant.ValidTenantID),
// so a tenant ID is always safe to use as a file or directory name.
//   ValidateTenantId("team-a")   -> OK
//   ValidateTenantId("a/b")      -> InvalidArgument "tenant ID 'a/b' contains unsupported character
//   '/'"
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/status.h"

namespace sluice {

// Longest tenant ID Loki accepts, in bytes.
inline constexpr size_t kMaxTenantIdLength = 150;

// OK iff `id` is a tenant ID Loki accepts: bytes [a-zA-Z0-9!-_.*'()], length <= 150, not "."
// or "..". Errors carry Loki's exact messages (HTTP 400 on push), checked in Loki's order
// (characters first, then length, then "."/".."):
//   tenant ID '<id>' contains unsupported character '<c>'
//   tenant ID is too long: max 150 characters
//   tenant ID is '.' or '..'
// An empty ID is kUnauthenticated "no org id" (Go's Header.Get cannot tell empty from absent;
// the server decides what an absent header means before calling this).
Status ValidateTenantId(std::string_view id);

}  // namespace sluice
