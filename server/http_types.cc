#include "server/http_types.h"

namespace sluice::server {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char LowerChar(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name))
      return v;
  }
  return {};
}

bool HttpRequest::HasHeader(std::string_view name) const {
  for (const auto& kv : headers) {
    if (EqualsIgnoreCase(kv.first, name))
      return true;
  }
  return false;
}

std::optional<std::string_view> HttpRequest::FindParam(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name)
      return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view HttpRequest::Param(std::string_view name) const {
  return FindParam(name).value_or(std::string_view());
}

std::vector<std::string_view> HttpRequest::Params(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : params) {
    if (k == name)
      out.emplace_back(v);
  }
  return out;
}

HttpResponse JsonResponse(std::string body, int status) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json; charset=UTF-8";
  r.body = std::move(body);
  return r;
}

HttpResponse TextResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::move(body);
  return r;
}

int HttpStatusFor(StatusCode code) {
  // The one table from Status codes to HTTP codes (Loki's codes, loki-http-api.md §1.3).
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kUnprocessable:
      return 422;
    case StatusCode::kFailedPrecondition:
      return 400;
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kCancelled:
      return 499;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kCorruption:
      return 500;
    case StatusCode::kIOError:
      return 500;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const Status& status) {
  return TextResponse(HttpStatusFor(status.code()), status.message());
}

HttpResponse QueryErrorResponse(const Status& st) {
  switch (st.code()) {
    case StatusCode::kResourceExhausted:
    case StatusCode::kOutOfRange:
    case StatusCode::kFailedPrecondition:
      return TextResponse(400, st.message());
    case StatusCode::kDeadlineExceeded:
      return TextResponse(504,
                          "request timed out, decrease the duration of the request or add more "
                          "label matchers (prefer exact match over regex match) to reduce the "
                          "amount of data processed");
    default:
      return ErrorResponse(st);
  }
}

std::string UrlDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

void ParseQueryString(std::string_view qs, KeyValues* out) {
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view part = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (part.empty())
      continue;
    size_t eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    out->emplace_back(UrlDecode(name, true), UrlDecode(value, true));
  }
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = LowerChar(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerChar(a[i]) != LowerChar(b[i]))
      return false;
  }
  return true;
}

}  // namespace sluice::server
