#include "server/tail_params.h"

#include <charconv>

#include "logql/syntax/parser.h"
#include "server/config.h"
#include "server/request_params.h"

namespace sluice::server {

namespace {

bool WantsCategorizedLabels(const HttpRequest& req) {
  std::string_view flags = req.Header("x-loki-response-encoding-flags");
  return flags.find("categorize-labels") != std::string_view::npos;
}

}  // namespace

bool IsTailPath(std::string_view path) {
  constexpr std::string_view kTail = "/loki/api/v1/tail";
  return path.size() >= kTail.size() && path.substr(path.size() - kTail.size()) == kTail;
}

Result<TailParams> ParseTailParams(const HandlerContext& ctx, const HttpRequest& req) {
  TailParams p;
  SLUICE_ASSIGN_OR_RETURN(p.tenant,
                          ResolveTenant(req, ctx.config->auth_enabled, ctx.config->default_tenant));
  p.request.query = std::string(req.Param("query"));
  SLUICE_RETURN_IF_ERROR(logql::syntax::ParseLogSelector(p.request.query).status());
  SLUICE_ASSIGN_OR_RETURN(p.limit, ParseLimit(req, 100, ctx.config->query.max_entries_limit));
  SLUICE_ASSIGN_OR_RETURN(TimeRange range, ParseTimeRange(req, ctx.clock->NowNanos()));
  p.start_ns = range.start_ns;
  std::string_view d = req.Param("delay_for");
  int64_t delay = 0;
  if (!d.empty()) {
    auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), delay);
    if (ec != std::errc() || ptr != d.data() + d.size()) {
      return InvalidArgumentError("strconv.Atoi: parsing \"" + std::string(d) +
                                  "\": invalid syntax");
    }
  }
  if (delay > kMaxTailDelaySeconds)
    return InvalidArgumentError("delay_for can't be greater than 5");
  p.request.delay_for_ns = std::max<int64_t>(0, delay) * 1'000'000'000;
  p.request.categorize_labels = WantsCategorizedLabels(req);
  return p;
}

}  // namespace sluice::server
