// Helpers for the integration tests: building push bodies (JSON, protobuf+snappy, gzip) and
// decoding Loki query responses with simdjson.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "http_client.h"

namespace sluice::integration {

struct TestEntry {
  int64_t ts_ns = 0;
  std::string line;
  std::map<std::string, std::string> metadata;
  friend bool operator==(const TestEntry&, const TestEntry&) = default;
};

struct TestStream {
  std::map<std::string, std::string> labels;
  std::vector<TestEntry> entries;
};

std::string JsonPushBody(const std::vector<TestStream>& streams);
// Snappy-compressed logproto.PushRequest.
std::string ProtoPushBody(const std::vector<TestStream>& streams);
// One entry under a verbatim label string (for malformed-label tests).
std::string ProtoPushBodyRawLabels(const std::string& labels, int64_t ts_ns,
                                   const std::string& line);
std::string Gzip(const std::string& data);
// The label map in Loki's text form {a="x", b="y"}.
std::string LabelString(const std::map<std::string, std::string>& labels);

int64_t NowNs();

// A decoded streams result.
struct QueryStreams {
  int http_status = 0;
  std::string raw;
  std::string result_type;
  std::vector<TestStream> streams;  // entries in response order
  // All entries flattened, in response order across streams.
  std::vector<TestEntry> All() const;
};

struct QueryArgs {
  std::string tenant;  // empty: no X-Scope-OrgID
  std::string query;
  int64_t start_ns = 0;  // 0: absent
  int64_t end_ns = 0;    // 0: absent
  int limit = 0;         // 0: absent
  std::string direction;
};

QueryStreams QueryRange(uint16_t port, const QueryArgs& args);
// GET <path> with the tenant header; decodes {"status":"success","data":[strings]}.
std::vector<std::string> GetStringList(uint16_t port, const std::string& target,
                                       const std::string& tenant, int* status = nullptr);
// Pushes `body`; returns the HTTP status.
HttpResult Push(uint16_t port, const std::string& tenant, const std::string& content_type,
                const std::string& body, const std::string& encoding = "");

}  // namespace sluice::integration
