#include "server/query_json.h"

#include "server/json_writer.h"

namespace sluice::server {

namespace {

void WriteLabelMap(JsonWriter* w, const std::vector<Label>& labels) {
  w->BeginObject();
  for (const Label& l : labels) {
    w->Key(l.name);
    w->String(l.value);
  }
  w->EndObject();
}

void WriteStreams(JsonWriter* w, const logql::QueryResult& r, bool categorize) {
  w->BeginArray();
  for (const auto& s : r.streams) {
    w->BeginObject();
    w->Key("stream");
    WriteLabelMap(w, categorize ? s.stream_labels.pairs() : s.labels.pairs());
    w->Key("values");
    w->BeginArray();
    for (const auto& e : s.entries) {
      w->BeginArray();
      w->NanosString(e.timestamp_ns);
      w->String(e.line);
      if (categorize) {
        w->BeginObject();
        if (!e.structured_metadata.empty()) {
          w->Key("structuredMetadata");
          WriteLabelMap(w, e.structured_metadata);
        }
        if (!e.parsed.empty()) {
          w->Key("parsed");
          WriteLabelMap(w, e.parsed);
        }
        w->EndObject();
      }
      w->EndArray();
    }
    w->EndArray();
    w->EndObject();
  }
  w->EndArray();
}

void WritePoint(JsonWriter* w, const logql::Point& p) {
  w->BeginArray();
  w->SecondsNumber(p.timestamp_ns);
  w->SampleValue(p.value);
  w->EndArray();
}

void WriteSeries(JsonWriter* w, const logql::QueryResult& r, bool vector) {
  w->BeginArray();
  for (const auto& s : r.series) {
    w->BeginObject();
    w->Key("metric");
    WriteLabelMap(w, s.labels.pairs());
    if (vector) {
      w->Key("value");
      WritePoint(w, s.points.empty() ? logql::Point{} : s.points.front());
    } else {
      w->Key("values");
      w->BeginArray();
      for (const auto& p : s.points)
        WritePoint(w, p);
      w->EndArray();
    }
    w->EndObject();
  }
  w->EndArray();
}

void IntField(JsonWriter* w, std::string_view key, int64_t v) {
  w->Key(key);
  w->Int(v);
}

}  // namespace

void AppendStatsJson(const logql::QueryStats& st, std::string* out) {
  JsonWriter w(out);
  double exec_s = static_cast<double>(st.exec_time_ns) / 1e9;
  auto per_second = [&](int64_t n) -> int64_t {
    return st.exec_time_ns > 0 ? static_cast<int64_t>(static_cast<double>(n) / exec_s) : 0;
  };
  w.BeginObject();
  w.Key("summary");
  w.BeginObject();
  IntField(&w, "bytesProcessedPerSecond", per_second(st.bytes_processed));
  IntField(&w, "linesProcessedPerSecond", per_second(st.lines_processed));
  IntField(&w, "totalBytesProcessed", st.bytes_processed);
  IntField(&w, "totalLinesProcessed", st.lines_processed);
  w.Key("execTime");
  w.Double(exec_s);
  IntField(&w, "queueTime", 0);
  IntField(&w, "subqueries", 0);
  IntField(&w, "totalEntriesReturned", st.entries_returned);
  IntField(&w, "splits", 0);
  IntField(&w, "shards", 0);
  IntField(&w, "totalPostFilterLines", st.post_filter_lines);
  IntField(&w, "totalStructuredMetadataBytesProcessed", 0);
  w.EndObject();
  w.Key("querier");
  w.BeginObject();
  w.Key("store");
  w.BeginObject();
  for (const char* k :
       {"totalChunksRef", "totalChunksDownloaded", "chunksDownloadTime", "chunkRefsFetchTime"}) {
    IntField(&w, k, 0);
  }
  w.Key("chunk");
  w.BeginObject();
  IntField(&w, "headChunkBytes", 0);
  IntField(&w, "headChunkLines", 0);
  IntField(&w, "decompressedBytes", st.bytes_processed);
  IntField(&w, "decompressedLines", st.lines_processed);
  IntField(&w, "compressedBytes", 0);
  IntField(&w, "totalDuplicates", 0);
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.Key("ingester");
  w.BeginObject();
  for (const char* k : {"totalReached", "totalChunksMatched", "totalBatches", "totalLinesSent"}) {
    IntField(&w, k, 0);
  }
  w.Key("store");
  w.BeginObject();
  w.Key("chunk");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.Key("index");
  w.BeginObject();
  IntField(&w, "totalChunks", 0);
  IntField(&w, "postFilterChunks", 0);
  IntField(&w, "shardsDuration", 0);
  w.EndObject();
  w.EndObject();
}

std::string RenderQueryResult(const logql::QueryResult& r, const QueryJsonOptions& options) {
  std::string out;
  out.reserve(4096);
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginObject();
  w.Key("resultType");
  w.String(logql::ResultTypeName(r.type));
  if (options.categorize_labels) {
    w.Key("encodingFlags");
    w.BeginArray();
    w.String("categorize-labels");
    w.EndArray();
  }
  w.Key("result");
  switch (r.type) {
    case logql::ResultType::kStreams:
      WriteStreams(&w, r, options.categorize_labels);
      break;
    case logql::ResultType::kMatrix:
      WriteSeries(&w, r, /*vector=*/false);
      break;
    case logql::ResultType::kVector:
      WriteSeries(&w, r, /*vector=*/true);
      break;
    case logql::ResultType::kScalar:
      WritePoint(&w, r.scalar);
      break;
  }
  w.Key("stats");
  std::string stats;
  AppendStatsJson(r.stats, &stats);
  w.Raw(stats);
  w.EndObject();
  w.EndObject();
  return out;
}

std::string RenderStringList(const std::vector<std::string>& values) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginArray();
  for (const auto& v : values)
    w.String(v);
  w.EndArray();
  w.EndObject();
  return out;
}

std::string RenderLabelSets(const std::vector<Labels>& sets) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginArray();
  for (const auto& s : sets)
    WriteLabelMap(&w, s.pairs());
  w.EndArray();
  w.EndObject();
  return out;
}

}  // namespace sluice::server
