#include "agent/batch.h"

#include <map>

#include <snappy.h>

#include "common/json_string.h"
#include "proto/push.pb.h"

namespace sluice::agent {
namespace {

// Groups entry indexes by stream, streams in order of first appearance.
std::vector<std::pair<std::string, std::vector<size_t>>> GroupStreams(const Batch& batch) {
  std::vector<std::pair<std::string, std::vector<size_t>>> out;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < batch.entries.size(); ++i) {
    std::string key = batch.entries[i].labels.ToString();
    auto [it, inserted] = index.emplace(key, out.size());
    if (inserted)
      out.emplace_back(std::move(key), std::vector<size_t>());
    out[it->second].second.push_back(i);
  }
  return out;
}

}  // namespace

size_t ShipEntry::Bytes() const {
  size_t n = line.size() + 16;
  for (const auto& [k, v] : metadata)
    n += k.size() + v.size();
  return n;
}

std::pair<Batch, Batch> Batch::Split() const {
  Batch a, b;
  a.tenant = b.tenant = tenant;
  a.created_mono_ns = b.created_mono_ns = created_mono_ns;
  size_t half = entries.size() / 2;
  for (size_t i = 0; i < entries.size(); ++i)
    (i < half ? a : b).Add(entries[i]);
  return {std::move(a), std::move(b)};
}

std::string EncodeProtobuf(const Batch& batch) {
  logproto::PushRequest req;
  for (const auto& [labels, idx] : GroupStreams(batch)) {
    logproto::StreamAdapter* stream = req.add_streams();
    stream->set_labels(labels);
    for (size_t i : idx) {
      const ShipEntry& e = batch.entries[i];
      logproto::EntryAdapter* entry = stream->add_entries();
      entry->mutable_timestamp()->set_seconds(e.ts_ns / 1'000'000'000);
      entry->mutable_timestamp()->set_nanos(static_cast<int32_t>(e.ts_ns % 1'000'000'000));
      entry->set_line(e.line);
      for (const auto& [k, v] : e.metadata) {
        logproto::LabelPairAdapter* md = entry->add_structuredmetadata();
        md->set_name(k);
        md->set_value(v);
      }
    }
  }
  std::string raw = req.SerializeAsString();
  std::string compressed;
  snappy::Compress(raw.data(), raw.size(), &compressed);
  return compressed;
}

std::string EncodeJson(const Batch& batch) {
  std::string out = "{\"streams\":[";
  bool first_stream = true;
  for (const auto& [labels, idx] : GroupStreams(batch)) {
    if (!first_stream)
      out += ',';
    first_stream = false;
    out += "{\"stream\":{";
    bool first = true;
    for (const Label& l : batch.entries[idx[0]].labels) {
      if (!first)
        out += ',';
      first = false;
      AppendJsonQuoted(l.name, &out);
      out += ':';
      AppendJsonQuoted(l.value, &out);
    }
    out += "},\"values\":[";
    for (size_t j = 0; j < idx.size(); ++j) {
      const ShipEntry& e = batch.entries[idx[j]];
      if (j > 0)
        out += ',';
      out += "[\"" + std::to_string(e.ts_ns) + "\",";
      AppendJsonQuoted(e.line, &out);
      if (!e.metadata.empty()) {
        out += ",{";
        for (size_t k = 0; k < e.metadata.size(); ++k) {
          if (k > 0)
            out += ',';
          AppendJsonQuoted(e.metadata[k].first, &out);
          out += ':';
          AppendJsonQuoted(e.metadata[k].second, &out);
        }
        out += '}';
      }
      out += ']';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

}  // namespace sluice::agent
