// Push decoding throughput, in log-line bytes per second: JSON and protobuf+snappy bodies
// through DecodePushBody (decoding only) and through PushHandler (decoding, validation,
// service_name and detected_level) with an Appender that stores nothing. Lines come from
// ../shared/tools/genlogs.py when python3 is available, else from a built-in generator.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <snappy.h>

#include "common/clock.h"
#include "ingest/ingest.h"
#include "proto/push.pb.h"

namespace sluice::ingest {
namespace {

constexpr int64_t kNow = 1717000000LL * 1'000'000'000;
constexpr int kLines = 20000;

struct Line {
  std::string service;
  std::string text;
};

std::vector<Line> LoadLines() {
  std::vector<Line> out;
  std::string cmd = std::string("python3 ") + SLUICE_SHARED_DIR + "/tools/genlogs.py --lines " +
                    std::to_string(kLines) + " --seed 7 2>/dev/null";
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char* buf = nullptr;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&buf, &cap, p)) > 0) {
      std::string text(buf, static_cast<size_t>(n));
      while (!text.empty() && text.back() == '\n')
        text.pop_back();
      size_t k = text.find("\"service_name\":\"");
      std::string service = "svc";
      if (k != std::string::npos) {
        size_t start = k + 16;
        service = text.substr(start, text.find('"', start) - start);
      }
      out.push_back({service, text});
    }
    free(buf);
    pclose(p);
  }
  if (out.size() < 100) {  // no python: a logfmt mix of similar size
    out.clear();
    const char* levels[] = {"debug", "info", "info", "info", "warn", "error"};
    for (int i = 0; i < kLines; ++i) {
      out.push_back({"svc" + std::to_string(i % 8),
                     "ts=2024-05-29T16:26:40." + std::to_string(100 + i % 900) + "Z level=" +
                         levels[i % 6] + " msg=\"request completed\" route=/api/v1/orders/" +
                         std::to_string(i * 7919 % 100000) + " status=200 duration_ms=" +
                         std::to_string(i % 997) + " trace_id=" + std::to_string(i * 104729)});
    }
  }
  return out;
}

const std::vector<Line>& Lines() {
  static const std::vector<Line> lines = LoadLines();
  return lines;
}

int64_t LineBytes() {
  int64_t n = 0;
  for (const Line& l : Lines())
    n += static_cast<int64_t>(l.text.size());
  return n;
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// Streams keyed by service, entries in line order (as a batching client sends them).
std::map<std::string, std::vector<std::pair<int64_t, const std::string*>>> Grouped() {
  std::map<std::string, std::vector<std::pair<int64_t, const std::string*>>> g;
  int64_t ts = kNow - 60LL * 1'000'000'000;
  for (const Line& l : Lines())
    g[l.service].push_back({ts++, &l.text});
  return g;
}

const std::string& JsonBody() {
  static const std::string body = [] {
    std::string b = R"({"streams":[)";
    bool first = true;
    for (const auto& [service, entries] : Grouped()) {
      if (!first)
        b += ',';
      first = false;
      b += R"({"stream":{"job":"bench","service":")" + service + R"(","env":"prod"},"values":[)";
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i)
          b += ',';
        b += "[\"" + std::to_string(entries[i].first) + "\",";
        AppendJsonString(*entries[i].second, &b);
        b += ']';
      }
      b += "]}";
    }
    return b + "]}";
  }();
  return body;
}

const std::string& ProtoBody() {
  static const std::string body = [] {
    logproto::PushRequest req;
    for (const auto& [service, entries] : Grouped()) {
      auto* s = req.add_streams();
      s->set_labels(R"({env="prod", job="bench", service=")" + service + "\"}");
      for (const auto& [ts, text] : entries) {
        auto* e = s->add_entries();
        e->mutable_timestamp()->set_seconds(ts / 1'000'000'000);
        e->mutable_timestamp()->set_nanos(static_cast<int>(ts % 1'000'000'000));
        e->set_line(*text);
      }
    }
    std::string raw = req.SerializeAsString(), out;
    snappy::Compress(raw.data(), raw.size(), &out);
    return out;
  }();
  return body;
}

class DiscardAppender : public Appender {
 public:
  Status Append(std::string_view, const std::vector<PushStream>& streams,
                AppendReport* report) override {
    for (const auto& s : streams)
      report->accepted_entries += static_cast<int64_t>(s.entries.size());
    return Status::Ok();
  }
};

void BM_DecodeJson(benchmark::State& state) {
  const std::string& body = JsonBody();
  for (auto _ : state) {
    auto r = DecodePushBody("application/json", "", body, 1 << 30);
    if (!r.ok())
      state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * LineBytes());
}

BENCHMARK(BM_DecodeJson)->Unit(benchmark::kMillisecond);

void BM_DecodeProtoSnappy(benchmark::State& state) {
  const std::string& body = ProtoBody();
  for (auto _ : state) {
    auto r = DecodePushBody("application/x-protobuf", "", body, 1 << 30);
    if (!r.ok())
      state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * LineBytes());
}

BENCHMARK(BM_DecodeProtoSnappy)->Unit(benchmark::kMillisecond);

void HandleBench(benchmark::State& state, std::string_view type, const std::string& body) {
  ManualClock clock(kNow);
  DiscardAppender appender;
  PushOptions options;
  options.clock = &clock;
  options.max_body_bytes = options.max_decompressed_bytes = 1 << 30;
  PushHandler handler(options, &appender);
  for (auto _ : state) {
    PushResponse r = handler.Handle(PushHttpRequest{"fake", type, true, "", body});
    if (r.http_status != 204)
      state.SkipWithError(r.body.c_str());
  }
  state.SetBytesProcessed(state.iterations() * LineBytes());
}

void BM_HandleJson(benchmark::State& state) {
  HandleBench(state, "application/json", JsonBody());
}

BENCHMARK(BM_HandleJson)->Unit(benchmark::kMillisecond);

void BM_HandleProtoSnappy(benchmark::State& state) {
  HandleBench(state, "application/x-protobuf", ProtoBody());
}

BENCHMARK(BM_HandleProtoSnappy)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::ingest
