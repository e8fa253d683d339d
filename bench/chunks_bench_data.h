// Test data for the chunks benchmarks: genlogs lines (../shared/tools/genlogs.py), grouped into
// streams by service_name as an agent would label them. The file is generated once into /tmp
// (or taken from $SLUICE_GENLOGS); without python3 a synthetic JSON-like corpus is used.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/time_util.h"

namespace sluice::chunks::bench {

struct BenchStream {
  Labels labels;
  std::vector<OwnedEntry> entries;
};

struct BenchData {
  std::string raw;  // all lines, '\n'-terminated, in file order
  std::vector<BenchStream> streams;
  size_t lines = 0;
};

inline std::string FieldValue(const std::string& line, const std::string& field) {
  std::string key = "\"" + field + "\":\"";
  size_t p = line.find(key);
  if (p == std::string::npos)
    return "";
  p += key.size();
  size_t q = line.find('"', p);
  return q == std::string::npos ? "" : line.substr(p, q - p);
}

inline const BenchData& LoadBenchData(size_t lines = 200000) {
  static BenchData* data = [lines] {
    auto* d = new BenchData();
    std::string path;
    if (const char* env = std::getenv("SLUICE_GENLOGS")) {
      path = env;
    } else {
      path = "/tmp/sluice_chunks_bench_" + std::to_string(lines) + ".jsonl";
      std::ifstream probe(path);
      if (!probe.good()) {
        std::string cmd = "python3 " SLUICE_SHARED_DIR "/tools/genlogs.py --lines " +
                          std::to_string(lines) + " --seed 7 > " + path + ".part && mv " + path +
                          ".part " + path;
        if (std::system(cmd.c_str()) != 0)
          path.clear();
      }
    }
    std::map<std::string, size_t> by_service;
    int64_t fallback_ts = 1'700'000'000'000'000'000;
    auto add = [&](std::string line) {
      d->raw.append(line).push_back('\n');
      std::string service = FieldValue(line, "service_name");
      auto [it, inserted] = by_service.emplace(service, d->streams.size());
      if (inserted) {
        d->streams.push_back(BenchStream{
            Labels::FromPairs({{"service_name", service.empty() ? "unknown" : service}}), {}});
      }
      auto ts = ParseRFC3339(FieldValue(line, "timestamp"));
      fallback_ts += 1'000'000;
      d->streams[it->second].entries.push_back(
          OwnedEntry{ts.ok() ? *ts : fallback_ts, std::move(line), {}});
      ++d->lines;
    };
    std::ifstream in(path);
    std::string line;
    while (!path.empty() && std::getline(in, line))
      add(line);
    if (d->lines == 0) {  // synthetic fallback
      for (size_t i = 0; i < lines; ++i) {
        add("{\"level\":\"info\",\"service_name\":\"svc" + std::to_string(i % 7) +
            "\",\"msg\":\"request " + std::to_string(i * 2654435761u % 100000) +
            " done\",\"duration_ms\":" + std::to_string(i % 997) + "}");
      }
    }
    return d;
  }();
  return *data;
}

}  // namespace sluice::chunks::bench
