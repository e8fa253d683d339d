#include "loki_test_util.h"

#include <chrono>

#include <simdjson.h>
#include <snappy.h>
#include <zlib.h>

#include "common/json_string.h"
#include "proto/push.pb.h"

namespace sluice::integration {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string LabelString(const std::map<std::string, std::string>& labels) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first)
      out += ", ";
    first = false;
    out += k + "=";
    AppendJsonQuoted(v, &out);
  }
  return out + "}";
}

std::string JsonPushBody(const std::vector<TestStream>& streams) {
  std::string out = "{\"streams\":[";
  for (size_t i = 0; i < streams.size(); ++i) {
    if (i > 0)
      out += ",";
    out += "{\"stream\":{";
    bool first = true;
    for (const auto& [k, v] : streams[i].labels) {
      if (!first)
        out += ",";
      first = false;
      AppendJsonQuoted(k, &out);
      out += ":";
      AppendJsonQuoted(v, &out);
    }
    out += "},\"values\":[";
    for (size_t j = 0; j < streams[i].entries.size(); ++j) {
      const TestEntry& e = streams[i].entries[j];
      if (j > 0)
        out += ",";
      out += "[\"" + std::to_string(e.ts_ns) + "\",";
      AppendJsonQuoted(e.line, &out);
      if (!e.metadata.empty()) {
        out += ",{";
        bool f = true;
        for (const auto& [k, v] : e.metadata) {
          if (!f)
            out += ",";
          f = false;
          AppendJsonQuoted(k, &out);
          out += ":";
          AppendJsonQuoted(v, &out);
        }
        out += "}";
      }
      out += "]";
    }
    out += "]}";
  }
  return out + "]}";
}

std::string ProtoPushBody(const std::vector<TestStream>& streams) {
  logproto::PushRequest req;
  for (const auto& s : streams) {
    auto* ps = req.add_streams();
    ps->set_labels(LabelString(s.labels));
    for (const auto& e : s.entries) {
      auto* pe = ps->add_entries();
      pe->mutable_timestamp()->set_seconds(e.ts_ns / 1000000000);
      pe->mutable_timestamp()->set_nanos(static_cast<int32_t>(e.ts_ns % 1000000000));
      pe->set_line(e.line);
      for (const auto& [k, v] : e.metadata) {
        auto* m = pe->add_structuredmetadata();
        m->set_name(k);
        m->set_value(v);
      }
    }
  }
  std::string raw = req.SerializeAsString();
  std::string compressed;
  snappy::Compress(raw.data(), raw.size(), &compressed);
  return compressed;
}

std::string ProtoPushBodyRawLabels(const std::string& labels, int64_t ts_ns,
                                   const std::string& line) {
  logproto::PushRequest req;
  auto* ps = req.add_streams();
  ps->set_labels(labels);
  auto* pe = ps->add_entries();
  pe->mutable_timestamp()->set_seconds(ts_ns / 1000000000);
  pe->mutable_timestamp()->set_nanos(static_cast<int32_t>(ts_ns % 1000000000));
  pe->set_line(line);
  std::string raw = req.SerializeAsString();
  std::string compressed;
  snappy::Compress(raw.data(), raw.size(), &compressed);
  return compressed;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<TestEntry> QueryStreams::All() const {
  std::vector<TestEntry> out;
  for (const auto& s : streams)
    out.insert(out.end(), s.entries.begin(), s.entries.end());
  return out;
}

QueryStreams QueryRange(uint16_t port, const QueryArgs& a) {
  std::string target = "/loki/api/v1/query_range?query=" + UrlEncode(a.query);
  if (a.start_ns != 0)
    target += "&start=" + std::to_string(a.start_ns);
  if (a.end_ns != 0)
    target += "&end=" + std::to_string(a.end_ns);
  if (a.limit != 0)
    target += "&limit=" + std::to_string(a.limit);
  if (!a.direction.empty())
    target += "&direction=" + a.direction;
  Headers h;
  if (!a.tenant.empty())
    h.emplace_back("X-Scope-OrgID", a.tenant);
  HttpResult r = HttpRequest(port, "GET", target, h);
  QueryStreams q;
  q.http_status = r.status;
  q.raw = r.body;
  if (r.status != 200)
    return q;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(r.body).get(doc) != simdjson::SUCCESS)
    return q;
  std::string_view rt;
  if (doc["data"]["resultType"].get(rt) == simdjson::SUCCESS)
    q.result_type = std::string(rt);
  simdjson::dom::array result;
  if (doc["data"]["result"].get(result) != simdjson::SUCCESS)
    return q;
  for (auto s : result) {
    TestStream ts;
    simdjson::dom::object labels;
    if (s["stream"].get(labels) == simdjson::SUCCESS) {
      for (auto field : labels) {
        std::string_view v;
        if (field.value.get(v) == simdjson::SUCCESS)
          ts.labels[std::string(field.key)] = std::string(v);
      }
    }
    simdjson::dom::array values;
    if (s["values"].get(values) == simdjson::SUCCESS) {
      for (auto v : values) {
        std::string_view tsv, line;
        if (v.at(0).get(tsv) != simdjson::SUCCESS || v.at(1).get(line) != simdjson::SUCCESS)
          continue;
        ts.entries.push_back(TestEntry{std::stoll(std::string(tsv)), std::string(line), {}});
      }
    }
    q.streams.push_back(std::move(ts));
  }
  return q;
}

std::vector<std::string> GetStringList(uint16_t port, const std::string& target,
                                       const std::string& tenant, int* status) {
  Headers h;
  if (!tenant.empty())
    h.emplace_back("X-Scope-OrgID", tenant);
  HttpResult r = HttpRequest(port, "GET", target, h);
  if (status != nullptr)
    *status = r.status;
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (r.status != 200 || parser.parse(r.body).get(doc) != simdjson::SUCCESS)
    return out;
  simdjson::dom::array data;
  if (doc["data"].get(data) != simdjson::SUCCESS)
    return out;
  for (auto v : data) {
    std::string_view s;
    if (v.get(s) == simdjson::SUCCESS)
      out.emplace_back(s);
  }
  return out;
}

HttpResult Push(uint16_t port, const std::string& tenant, const std::string& content_type,
                const std::string& body, const std::string& encoding) {
  Headers h;
  if (!tenant.empty())
    h.emplace_back("X-Scope-OrgID", tenant);
  if (!content_type.empty())
    h.emplace_back("Content-Type", content_type);
  if (!encoding.empty())
    h.emplace_back("Content-Encoding", encoding);
  return HttpRequest(port, "POST", "/loki/api/v1/push", h, body);
}

}  // namespace sluice::integration
