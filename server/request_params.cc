#include "server/request_params.h"

#include <charconv>

#include "common/tenant.h"
#include "common/time_util.h"

namespace sluice::server {

namespace {

constexpr int64_t kDefaultSinceNs = 3600 * kNanosPerSecond;

Result<int64_t> ParseTimeParam(const HttpRequest& req, std::string_view name, int64_t def) {
  auto v = req.FindParam(name);
  if (!v.has_value() || v->empty())
    return def;
  auto r = ParseLokiTime(*v);
  if (!r.ok()) {
    return InvalidArgumentError("could not parse '" + std::string(name) +
                                "' parameter: " + r.status().message());
  }
  return *r;
}

}  // namespace

Result<std::string> ResolveTenant(const HttpRequest& req, bool auth_enabled,
                                  std::string_view default_tenant) {
  std::string_view id = req.Header("x-scope-orgid");
  if (id.empty()) {
    if (auth_enabled)
      return Status(StatusCode::kUnauthenticated, "no org id");
    return std::string(default_tenant);
  }
  SLUICE_RETURN_IF_ERROR(ValidateTenantId(id));
  return std::string(id);
}

Result<TimeRange> ParseTimeRange(const HttpRequest& req, int64_t now_ns) {
  int64_t since = kDefaultSinceNs;
  auto s = req.FindParam("since");
  if (s.has_value() && !s->empty()) {
    auto d = ParseDurationOrSeconds(*s);
    if (!d.ok()) {
      return InvalidArgumentError("could not parse 'since' parameter: " + d.status().message());
    }
    since = *d;
  }
  TimeRange r;
  SLUICE_ASSIGN_OR_RETURN(r.end_ns, ParseTimeParam(req, "end", now_ns));
  int64_t end_or_now = r.end_ns > now_ns ? now_ns : r.end_ns;
  SLUICE_ASSIGN_OR_RETURN(r.start_ns, ParseTimeParam(req, "start", end_or_now - since));
  return r;
}

Result<uint32_t> ParseLimit(const HttpRequest& req, uint32_t def, int64_t max) {
  auto v = req.FindParam("limit");
  if (!v.has_value() || v->empty())
    return def;
  int64_t n = 0;
  auto res = std::from_chars(v->data(), v->data() + v->size(), n);
  if (res.ec == std::errc::result_out_of_range)
    n = INT64_MAX;
  else if (res.ec != std::errc() || res.ptr != v->data() + v->size()) {
    return InvalidArgumentError("strconv.Atoi: parsing \"" + std::string(*v) +
                                "\": invalid syntax");
  }
  if (n <= 0)
    return InvalidArgumentError("limit must be a positive value");
  if (max > 0 && n > max) {
    return InvalidArgumentError(
        "max entries limit per query exceeded, limit > max_entries_limit_per_query (" +
        std::to_string(n) + " > " + std::to_string(max) + ")");
  }
  return static_cast<uint32_t>(n);
}

Result<Direction> ParseDirection(const HttpRequest& req) {
  auto v = req.FindParam("direction");
  if (!v.has_value() || v->empty())
    return Direction::kBackward;
  if (EqualsIgnoreCase(*v, "backward"))
    return Direction::kBackward;
  if (EqualsIgnoreCase(*v, "forward"))
    return Direction::kForward;
  return InvalidArgumentError("invalid direction '" + std::string(*v) + "'");
}

Result<int64_t> ParseDurationParam(const HttpRequest& req, std::string_view name) {
  auto v = req.FindParam(name);
  if (!v.has_value() || v->empty())
    return int64_t{0};
  auto d = ParseDurationOrSeconds(*v);
  if (!d.ok()) {
    return InvalidArgumentError("cannot parse \"" + std::string(*v) + "\" to a valid duration");
  }
  return *d;
}

Result<int64_t> ParseInstantTime(const HttpRequest& req, int64_t now_ns) {
  return ParseTimeParam(req, "time", now_ns);
}

std::string FormatGoDuration(int64_t ns) {
  if (ns == 0)
    return "0s";
  std::string out;
  if (ns < 0) {
    out = "-";
    ns = -ns;
  }
  if (ns < kNanosPerSecond) {
    // Sub-second: Go picks ns, µs or ms with a fraction; ms is enough for our messages.
    if (ns % kNanosPerMilli == 0)
      return out + std::to_string(ns / kNanosPerMilli) + "ms";
    return out + std::to_string(ns) + "ns";
  }
  int64_t h = ns / (3600 * kNanosPerSecond);
  int64_t m = ns / (60 * kNanosPerSecond) % 60;
  int64_t s = ns / kNanosPerSecond % 60;
  int64_t frac = ns % kNanosPerSecond;
  if (h > 0)
    out += std::to_string(h) + "h";
  if (h > 0 || m > 0)
    out += std::to_string(m) + "m";
  out += std::to_string(s);
  if (frac != 0) {
    std::string f = std::to_string(frac + kNanosPerSecond).substr(1);
    while (!f.empty() && f.back() == '0')
      f.pop_back();
    out += "." + f;
  }
  out += "s";
  return out;
}

}  // namespace sluice::server
