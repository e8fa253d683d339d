#include "server/handler_util.h"

#include "logql/syntax/parser.h"
#include "server/config.h"

namespace sluice::server {

namespace {

bool IsEmptySelector(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  if (s.empty())
    return true;
  if (s.size() < 2 || s.front() != '{' || s.back() != '}')
    return false;
  for (char c : s.substr(1, s.size() - 2)) {
    if (c != ' ')
      return false;
  }
  return true;
}

}  // namespace

Result<ReadRequest> ParseReadRequest(const HandlerContext& ctx, const HttpRequest& req) {
  ReadRequest r;
  SLUICE_ASSIGN_OR_RETURN(r.tenant,
                          ResolveTenant(req, ctx.config->auth_enabled, ctx.config->default_tenant));
  SLUICE_ASSIGN_OR_RETURN(r.range, ParseTimeRange(req, ctx.clock->NowNanos()));
  return r;
}

Result<Matchers> ParseSelectorParam(std::string_view text) {
  if (IsEmptySelector(text))
    return Matchers{};
  SLUICE_ASSIGN_OR_RETURN(auto expr, logql::syntax::ParseLogSelector(text));
  return expr->matchers;
}

}  // namespace sluice::server
