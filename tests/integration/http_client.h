// A tiny blocking HTTP/1.1 client over plain sockets, for the integration tests (no Beast, so
// the tests exercise the server with an independent implementation). One request per
// connection unless a Connection object is reused (keep-alive).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sluice::integration {

struct HttpResult {
  int status = 0;                                            // 0: transport error (see error)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string error;

  std::string Header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// A connection that may carry several requests (keep-alive).
class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port) : port_(port) {}

  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpResult Request(const std::string& method, const std::string& target,
                     const Headers& headers = {}, const std::string& body = "");
  // Sends raw bytes and reads one response (for malformed-HTTP tests).
  HttpResult Raw(const std::string& bytes);
  // Sends bytes without reading a response.
  bool Send(const std::string& bytes);

  bool connected() const { return fd_ >= 0; }

 private:
  bool Connect(std::string* error);
  HttpResult ReadResponse();
  void Close();

  uint16_t port_;
  int fd_ = -1;
  std::string buffer_;  // bytes read past the previous response
};

// One request on a fresh connection.
HttpResult HttpRequest(uint16_t port, const std::string& method, const std::string& target,
                       const Headers& headers = {}, const std::string& body = "");

// Percent-encodes a query parameter value.
std::string UrlEncode(const std::string& s);

}  // namespace sluice::integration
