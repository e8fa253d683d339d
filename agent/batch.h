// What the shipper sends: entries (ShipEntry) grouped into a Batch for one tenant, and the two
// push encodings: protobuf+snappy (logproto.PushRequest, what Promtail sends; the default) and
// JSON ({"streams":[{"stream":{...},"values":[["<ns>","<line>",{metadata}]]}]}).
// Entries of one stream keep their order; streams appear in order of first entry.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agent/file_progress.h"
#include "common/labels.h"

namespace sluice::agent {

struct ShipEntry {
  Labels labels;
  int64_t ts_ns = 0;
  std::string line;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string tenant;  // "" = the client's tenant_id
  AckToken ack;

  // What the entry counts for in batchsize and memory accounting.
  size_t Bytes() const;
};

struct Batch {
  std::string tenant;
  std::vector<ShipEntry> entries;
  size_t bytes = 0;
  int64_t created_mono_ns = 0;

  void Add(ShipEntry e) {
    bytes += e.Bytes();
    entries.push_back(std::move(e));
  }

  // Splits into two halves by entry count (entries keep their order). REQUIRES: size >= 2.
  std::pair<Batch, Batch> Split() const;
};

// Snappy-compressed logproto.PushRequest (Content-Type application/x-protobuf).
std::string EncodeProtobuf(const Batch& batch);
// Content-Type application/json.
std::string EncodeJson(const Batch& batch);

}  // namespace sluice::agent
