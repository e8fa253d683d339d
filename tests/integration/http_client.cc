#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::integration {

namespace {

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string HttpResult::Header(const std::string& name) const {
  std::string n = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == n)
      return v;
  }
  return "";
}

HttpConnection::~HttpConnection() {
  Close();
}

void HttpConnection::Close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpConnection::Connect(std::string* error) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  timeval tv{60, 0};  // generous: ASan builds on 2 shared cores are slow
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    Close();
    return false;
  }
  return true;
}

bool HttpConnection::Send(const std::string& bytes) {
  std::string error;
  if (fd_ < 0 && !Connect(&error))
    return false;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

HttpResult HttpConnection::Raw(const std::string& bytes) {
  HttpResult r;
  if (fd_ < 0 && !Connect(&r.error))
    return r;
  // The server may answer (e.g. 413) and close before reading everything: read the response
  // even when sending failed part-way.
  Send(bytes);
  return ReadResponse();
}

HttpResult HttpConnection::Request(const std::string& method, const std::string& target,
                                   const Headers& headers, const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  bool has_length = false;
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
    has_length = has_length || Lower(k) == "content-length";
  }
  if (!has_length && (!body.empty() || method == "POST")) {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n";
  req += body;
  return Raw(req);
}

HttpResult HttpConnection::ReadResponse() {
  HttpResult r;
  auto fill = [&]() -> bool {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0)
      return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  };
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      r.error = "connection closed before response head";
      Close();
      return r;
    }
  }
  std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) {
    r.error = "bad status line: " + status_line;
    Close();
    return r;
  }
  r.status = std::atoi(status_line.substr(9, 3).c_str());
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos)
      end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ')
        v.erase(0, 1);
      r.headers.emplace_back(Lower(line.substr(0, colon)), v);
    }
    pos = end + 2;
  }
  std::string cl = r.Header("content-length");
  if (!cl.empty()) {
    size_t len = std::stoul(cl);
    while (buffer_.size() < len) {
      if (!fill()) {
        r.error = "connection closed in body";
        Close();
        return r;
      }
    }
    r.body = buffer_.substr(0, len);
    buffer_.erase(0, len);
  } else if (r.status != 204 && r.status != 304) {
    while (fill()) {
    }
    r.body = std::move(buffer_);
    buffer_.clear();
    Close();
  }
  if (Lower(r.Header("connection")) == "close")
    Close();
  return r;
}

HttpResult HttpRequest(uint16_t port, const std::string& method, const std::string& target,
                       const Headers& headers, const std::string& body) {
  HttpConnection c(port);
  return c.Request(method, target, headers, body);
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace sluice::integration
