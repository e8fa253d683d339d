// The sluice command line: help, version, and clear failures for bad flags, a busy port and an
// unwritable data directory.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "http_client.h"
#include "server_process.h"

namespace sluice::integration {
namespace {

TEST(CliTest, HelpAndVersion) {
  std::string out;
  EXPECT_EQ(RunSluice({"--help"}, &out), 0);
  EXPECT_NE(out.find("sluice serve"), std::string::npos) << out;
  EXPECT_NE(out.find("--data-dir"), std::string::npos) << out;
  EXPECT_EQ(RunSluice({"--version"}, &out), 0);
  EXPECT_NE(out.find("sluice 0."), std::string::npos) << out;
}

TEST(CliTest, BadFlagsFailWithAMessage) {
  std::string out;
  EXPECT_EQ(RunSluice({"serve", "--bogus"}, &out), 2);
  EXPECT_NE(out.find("unknown flag \"--bogus\""), std::string::npos) << out;
  EXPECT_EQ(RunSluice({"serve", "--listen", "nonsense"}, &out), 2);
  EXPECT_NE(out.find("invalid listen address"), std::string::npos) << out;
  EXPECT_EQ(RunSluice({"frobnicate"}, &out), 2);
  EXPECT_NE(out.find("unknown command"), std::string::npos) << out;
  EXPECT_EQ(RunSluice({"serve", "--log-level", "loud"}, &out), 2);
  EXPECT_NE(out.find("unknown log level"), std::string::npos) << out;
  TempDir tmp;
  std::string config = tmp.path() + "/bad.yaml";
  std::ofstream(config) << "server:\n  http_listen_prot: 3100\n";
  EXPECT_EQ(RunSluice({"serve", "--config", config}, &out), 2);
  EXPECT_NE(out.find("server.http_listen_prot"), std::string::npos) << out;
  EXPECT_EQ(RunSluice({"serve", "--config", tmp.path() + "/missing.yaml"}, &out), 2);
  EXPECT_NE(out.find("missing.yaml"), std::string::npos) << out;
}

TEST(CliTest, BusyPortFails) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  uint16_t port = ntohs(addr.sin_port);
  TempDir tmp;
  std::string out;
  EXPECT_EQ(RunSluice({"serve", "--listen", "127.0.0.1:" + std::to_string(port), "--data-dir",
                       tmp.path() + "/data"},
                      &out),
            1);
  EXPECT_NE(out.find("already in use"), std::string::npos) << out;
  ::close(fd);
}

TEST(CliTest, UnwritableDataDirFails) {
  TempDir tmp;
  std::string file = tmp.path() + "/plain-file";
  std::ofstream(file) << "x";
  std::string out;
  EXPECT_EQ(RunSluice({"serve", "--listen", "127.0.0.1:" + std::to_string(PickFreePort()),
                       "--data-dir", file + "/data"},
                      &out),
            1);
  EXPECT_NE(out.find("data directory"), std::string::npos) << out;
}

TEST(CliTest, OpsEndpoints) {
  TempDir tmp;
  ServerProcess server(tmp.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  HttpResult ready = HttpRequest(server.port(), "GET", "/ready");
  EXPECT_EQ(ready.status, 200);
  HttpResult info = HttpRequest(server.port(), "GET", "/loki/api/v1/status/buildinfo");
  EXPECT_EQ(info.status, 200);
  EXPECT_NE(info.body.find("\"version\":\"0."), std::string::npos) << info.body;
  EXPECT_EQ(info.Header("content-type"), "application/json; charset=UTF-8");
  HttpResult metrics = HttpRequest(server.port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("sluice_wal_segments"), std::string::npos);
  // Keep-alive: several requests on one connection.
  HttpConnection c(server.port());
  for (int i = 0; i < 3; ++i) {
    HttpResult r = c.Request("GET", "/ready");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(c.connected());
  }
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

}  // namespace
}  // namespace sluice::integration
