// Plain HTTP request/response values exchanged between the Beast transport (http_server.cc)
// and the handlers. Handlers and their tests never include Boost: a handler is a pure function
// HttpRequest -> HttpResponse.
//
//   HttpRequest req;                       // filled by the transport (or a test)
//   std::string_view q = req.Param("query");          // first value or ""
//   HttpResponse resp = JsonResponse(std::move(json));
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice::server {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // raw request target, e.g. "/loki/api/v1/query?query=..."
  std::string path;    // percent-decoded path without the query string
  // Query-string parameters, then (for POST application/x-www-form-urlencoded bodies, added by
  // the router) form parameters, decoded, in order. Repeated names keep every value.
  KeyValues params;
  KeyValues headers;  // names lower-cased
  std::string body;
  // Set by the router for patterns such as /loki/api/v1/label/<name>/values.
  std::vector<std::string> path_params;

  // First value of a header (name case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // First value of a parameter, or nullopt when absent.
  std::optional<std::string_view> FindParam(std::string_view name) const;
  // First value of a parameter, or "" when absent.
  std::string_view Param(std::string_view name) const;
  // Every value of a parameter, in order.
  std::vector<std::string_view> Params(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header (e.g. 204)
  KeyValues headers;         // extra headers
  std::string body;
};

// 200 with `body` as application/json; charset=UTF-8.
HttpResponse JsonResponse(std::string body, int status = 200);
// `status` with a plain-text body, as Loki answers errors (text/plain; charset=utf-8, nosniff).
HttpResponse TextResponse(int status, std::string body);
// The HTTP code for a Status code (the one table; see http_types.cc).
int HttpStatusFor(StatusCode code);
// An error response: HttpStatusFor(status.code()) with the message as a plain-text body.
HttpResponse ErrorResponse(const Status& status);
// Engine / storage errors of a query as Loki answers them: limits (series, points) 400,
// timeouts 504 with Loki's text, anything else as ErrorResponse.
HttpResponse QueryErrorResponse(const Status& st);

// Percent-decodes `s`; `plus_as_space` for query strings and form bodies. Malformed escapes
// are kept literally (as browsers do) rather than rejected.
std::string UrlDecode(std::string_view s, bool plus_as_space);
// Parses "a=1&b=x%20y&a=2" into pairs (appended to *out), decoding names and values.
void ParseQueryString(std::string_view qs, KeyValues* out);
// Lower-cases ASCII letters.
std::string AsciiLower(std::string_view s);
// Case-insensitive ASCII equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace sluice::server
