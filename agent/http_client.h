// The shipper's view of HTTP: one blocking POST. The real client (Boost.Beast, keep-alive,
// per-request timeout) lives in http_client_beast.cc, the only agent file that includes Beast
// or Asio; tests substitute a fake.
// Thread-safety: an HttpClient is used by one shipper thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sluice::agent {

struct HttpPost {
  std::string host;
  uint16_t port = 80;
  std::string target;  // path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t timeout_ns = 10'000'000'000;
};

struct HttpReply {
  int status = 0;
  std::string retry_after;  // the Retry-After header, "" when absent
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // A transport failure (connect refused, timeout, reset) is an error Status (kIOError or
  // kDeadlineExceeded); any HTTP status is a reply.
  virtual Result<HttpReply> Post(const HttpPost& request) = 0;
};

std::unique_ptr<HttpClient> NewBeastHttpClient();

}  // namespace sluice::agent
