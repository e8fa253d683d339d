// Rendering of query results in Loki's JSON shapes (loki-http-api.md §3.3-3.5): the
// `{"status":"success","data":{"resultType":...,"result":...,"stats":{...}}}` envelope for
// streams, matrix, vector and scalar, with or without the categorize-labels encoding, plus the
// simple `{"status":"success","data":[...]}` answers of the metadata endpoints.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "common/labels.h"
#include "logql/engine.h"

namespace sluice::server {

struct QueryJsonOptions {
  // Honour `X-Loki-Response-Encoding-Flags: categorize-labels`: echo the flag, stream labels
  // only in `stream`, and a third element ({} or structuredMetadata/parsed) on every value.
  bool categorize_labels = false;
};

std::string RenderQueryResult(const logql::QueryResult& result, const QueryJsonOptions& options);

// The `stats` object (Loki's skeleton; counters we do not track are 0).
void AppendStatsJson(const logql::QueryStats& stats, std::string* out);

// {"status":"success","data":["a","b"]}
std::string RenderStringList(const std::vector<std::string>& values);
// {"status":"success","data":[{"a":"x"},{"b":"y"}]}
std::string RenderLabelSets(const std::vector<Labels>& sets);

}  // namespace sluice::server
