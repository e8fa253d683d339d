#include "agent/status_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::agent {

Status StatusServer::Start(const std::string& address, int port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0)
    return ErrnoError("socket", "status server", errno);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, address.empty() ? "0.0.0.0" : address.c_str(), &addr.sin_addr) != 1) {
    return InvalidArgumentError("bad http_listen_address " + address);
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return ErrnoError("bind", address + ":" + std::to_string(port), errno);
  }
  if (::listen(listen_fd_, 16) != 0)
    return ErrnoError("listen", "status server", errno);
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
  return Status::Ok();
}

void StatusServer::Stop() {
  stop_.store(true);
  if (thread_.joinable())
    thread_.join();
  if (listen_fd_ >= 0)
    ::close(listen_fd_);
  listen_fd_ = -1;
}

void StatusServer::Serve() {
  while (!stop_.load()) {
    struct pollfd pfd {
      listen_fd_, POLLIN, 0
    };

    if (::poll(&pfd, 1, 200) <= 0)
      continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
      continue;
    Handle(fd);
    ::close(fd);
  }
}

void StatusServer::Handle(int fd) {
  std::string request;
  char buf[2048];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
    struct pollfd pfd {
      fd, POLLIN, 0
    };

    if (::poll(&pfd, 1, 2000) <= 0)
      return;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      return;
    request.append(buf, static_cast<size_t>(n));
  }
  std::string first = request.substr(0, request.find("\r\n"));
  int status = 404;
  std::string body = "not found\n";
  std::string type = "text/plain; charset=utf-8";
  if (first.rfind("GET /metrics", 0) == 0) {
    status = 200;
    body = metrics_();
    type = "text/plain; version=0.0.4; charset=utf-8";
  } else if (first.rfind("GET /ready", 0) == 0) {
    bool ready = ready_();
    status = ready ? 200 : 503;
    body = ready ? "Ready\n" : "Not ready\n";
  }
  std::string response = "HTTP/1.1 " + std::to_string(status) +
                         (status == 200   ? " OK"
                          : status == 503 ? " Service Unavailable"
                                          : " Not Found") +
                         "\r\nContent-Type: " + type +
                         "\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\nConnection: close\r\n\r\n" + body;
  size_t sent = 0;
  while (sent < response.size()) {
    ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      return;
    sent += static_cast<size_t>(n);
  }
}

}  // namespace sluice::agent
