#include "agent/status_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include <gtest/gtest.h>

namespace sluice::agent {
namespace {

std::string Get(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ::send(fd, req.data(), req.size(), 0);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0)
    out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

TEST(StatusServerTest, ServesMetricsAndReady) {
  std::atomic<bool> ready{false};
  StatusServer server([] { return std::string("sluice_agent_x 1\n"); },
                      [&] { return ready.load(); });
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  ASSERT_NE(server.port(), 0);
  EXPECT_NE(Get(server.port(), "/ready").find("503"), std::string::npos);
  ready = true;
  std::string r = Get(server.port(), "/ready");
  EXPECT_NE(r.find("200 OK"), std::string::npos);
  EXPECT_NE(r.find("Ready"), std::string::npos);
  std::string m = Get(server.port(), "/metrics");
  EXPECT_NE(m.find("sluice_agent_x 1"), std::string::npos);
  EXPECT_NE(Get(server.port(), "/nope").find("404"), std::string::npos);
  server.Stop();
}

TEST(StatusServerTest, BadAddressIsAnError) {
  StatusServer server([] { return std::string(); }, [] { return true; });
  EXPECT_FALSE(server.Start("not-an-ip", 0).ok());
}

}  // namespace
}  // namespace sluice::agent
