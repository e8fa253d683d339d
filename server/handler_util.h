// Small helpers shared by the handler files: the tenant + time range every read endpoint
// starts with, and stream-selector parameters.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/matcher.h"
#include "common/result.h"
#include "server/handlers.h"
#include "server/request_params.h"

namespace sluice::server {

struct ReadRequest {
  std::string tenant;
  TimeRange range;
};

// ResolveTenant + ParseTimeRange (default: the last hour).
Result<ReadRequest> ParseReadRequest(const HandlerContext& ctx, const HttpRequest& req);

// The stream selector of a `query` / `match[]` parameter. "" and "{}" select every stream
// (empty matchers). A log query with a pipeline ({app="x"} |= "y") gives its selector's
// matchers. Errors: the LogQL parser's (400).
Result<Matchers> ParseSelectorParam(std::string_view text);

}  // namespace sluice::server
