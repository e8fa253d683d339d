// server_loadgen: pushes a file of log lines to a running sluice over several keep-alive
// connections, as Promtail does (protobuf + snappy, one stream per service), for
// bench/run_server_bench.sh. Not a Google Benchmark: the server's CPU time is what is measured.
//
//   server_loadgen --port 3100 --file lines.txt [--connections 4] [--batch-bytes 1048576]
//                  [--base-ns N] [--tenant fake]
//
// Line i gets timestamp base + i * 1 us (base default: now - 30 min), so all lines are inside
// Loki's default acceptance window and each stream is in order. The stream's service_name is
// taken from the line's "service_name" JSON field ("unknown_service" when absent).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <snappy.h>

#include "proto/push.pb.h"

namespace {

struct Options {
  int port = 3100;
  std::string file;
  int connections = 4;
  size_t batch_bytes = 1 << 20;
  int64_t base_ns = 0;
  std::string tenant = "fake";
};

std::string ServiceOf(const std::string& line) {
  static const std::string kKey = "\"service_name\":\"";
  size_t p = line.find(kKey);
  if (p == std::string::npos)
    return "unknown_service";
  p += kKey.size();
  size_t e = line.find('"', p);
  if (e == std::string::npos)
    return "unknown_service";
  return line.substr(p, e - p);
}

std::string Encode(
    const std::map<std::string, std::vector<std::pair<int64_t, const std::string*>>>& by_svc) {
  logproto::PushRequest req;
  for (const auto& [svc, entries] : by_svc) {
    auto* s = req.add_streams();
    s->set_labels("{job=\"bench\", service_name=\"" + svc + "\"}");
    for (const auto& [ts, line] : entries) {
      auto* e = s->add_entries();
      e->mutable_timestamp()->set_seconds(ts / 1000000000);
      e->mutable_timestamp()->set_nanos(static_cast<int32_t>(ts % 1000000000));
      e->set_line(*line);
    }
  }
  std::string raw = req.SerializeAsString();
  std::string out;
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends one push on `fd` and reads the response; returns the status code (0 on I/O error).
int PushOnce(int fd, const std::string& tenant, const std::string& body) {
  std::string head =
      "POST /loki/api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/x-protobuf\r\nX-Scope-OrgID: " +
      tenant + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const std::string* parts[] = {&head, &body};
  for (const std::string* part : parts) {
    size_t sent = 0;
    while (sent < part->size()) {
      ssize_t n = ::send(fd, part->data() + sent, part->size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return 0;
      sent += static_cast<size_t>(n);
    }
  }
  std::string resp;
  char buf[4096];
  size_t head_end;
  while ((head_end = resp.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      return 0;
    resp.append(buf, static_cast<size_t>(n));
  }
  int status = std::atoi(resp.substr(9, 3).c_str());
  size_t body_len = 0;
  size_t cl = resp.find("Content-Length: ");
  if (cl == std::string::npos)
    cl = resp.find("content-length: ");
  if (cl != std::string::npos && cl < head_end)
    body_len = std::stoul(resp.substr(cl + 16));
  while (resp.size() < head_end + 4 + body_len) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      return 0;
    resp.append(buf, static_cast<size_t>(n));
  }
  if (status != 204) {
    std::fprintf(stderr, "push answered %d: %s\n", status, resp.substr(head_end + 4, 200).c_str());
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port")
      o.port = std::stoi(v);
    else if (k == "--file")
      o.file = v;
    else if (k == "--connections")
      o.connections = std::stoi(v);
    else if (k == "--batch-bytes")
      o.batch_bytes = std::stoul(v);
    else if (k == "--base-ns")
      o.base_ns = std::stoll(v);
    else if (k == "--tenant")
      o.tenant = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  if (o.file.empty()) {
    std::fprintf(stderr, "usage: server_loadgen --port P --file F [--connections N]\n");
    return 2;
  }
  std::ifstream in(o.file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    lines.push_back(std::move(l));
  if (o.base_ns == 0) {
    o.base_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count() -
                30LL * 60 * 1000000000;
  }

  // Build every body first so the client costs little while the server is measured.
  std::vector<std::string> bodies;
  std::map<std::string, std::vector<std::pair<int64_t, const std::string*>>> batch;
  size_t batch_size = 0;
  uint64_t line_bytes = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    batch[ServiceOf(lines[i])].emplace_back(o.base_ns + static_cast<int64_t>(i) * 1000, &lines[i]);
    batch_size += lines[i].size();
    line_bytes += lines[i].size();
    if (batch_size >= o.batch_bytes || i + 1 == lines.size()) {
      bodies.push_back(Encode(batch));
      batch.clear();
      batch_size = 0;
    }
  }

  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&] {
      int fd = Connect(o.port);
      for (size_t i; (i = next.fetch_add(1)) < bodies.size();) {
        int status = fd >= 0 ? PushOnce(fd, o.tenant, bodies[i]) : 0;
        if (status == 0) {  // reconnect once
          if (fd >= 0)
            ::close(fd);
          fd = Connect(o.port);
          status = fd >= 0 ? PushOnce(fd, o.tenant, bodies[i]) : 0;
        }
        if (status != 204)
          failures.fetch_add(1);
      }
      if (fd >= 0)
        ::close(fd);
    });
  }
  for (auto& t : threads)
    t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("lines=%zu line_bytes=%llu batches=%zu failures=%d wall_s=%.3f base_ns=%lld\n",
              lines.size(), static_cast<unsigned long long>(line_bytes), bodies.size(),
              failures.load(), secs, static_cast<long long>(o.base_ns));
  return failures.load() == 0 ? 0 : 1;
}
