#include "server/query_json.h"

#include <gtest/gtest.h>

namespace sluice::server {
namespace {

logql::QueryResult StreamsResult() {
  logql::QueryResult r;
  r.type = logql::ResultType::kStreams;
  logql::ResultStream s;
  s.labels = Labels::FromPairs({{"job", "api"}, {"service_name", "api"}, {"trace_id", "0af7"}});
  s.stream_labels = Labels::FromPairs({{"job", "api"}, {"service_name", "api"}});
  logql::ResultEntry e1;
  e1.timestamp_ns = 1717000000500000000;
  e1.line = "user \"login\" ok";
  e1.structured_metadata = {{"trace_id", "0af7"}};
  logql::ResultEntry e2;
  e2.timestamp_ns = 1717000000000000000;
  e2.line = "GET /health 200";
  s.entries = {e1, e2};
  r.streams.push_back(s);
  return r;
}

std::string Data(const std::string& json) {
  // Everything before "stats", which is checked separately.
  return json.substr(0, json.find(",\"stats\":"));
}

TEST(QueryJsonTest, StreamsPlain) {
  std::string json = RenderQueryResult(StreamsResult(), {});
  EXPECT_EQ(
      Data(json),
      R"({"status":"success","data":{"resultType":"streams","result":[)"
      R"({"stream":{"job":"api","service_name":"api","trace_id":"0af7"},"values":[)"
      R"(["1717000000500000000","user \"login\" ok"],["1717000000000000000","GET /health 200"]]}])");
  EXPECT_EQ(json.substr(json.size() - 2), "}}");
}

TEST(QueryJsonTest, StreamsCategorized) {
  QueryJsonOptions o;
  o.categorize_labels = true;
  std::string json = RenderQueryResult(StreamsResult(), o);
  EXPECT_EQ(
      Data(json),
      R"({"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],"result":[)"
      R"({"stream":{"job":"api","service_name":"api"},"values":[)"
      R"(["1717000000500000000","user \"login\" ok",{"structuredMetadata":{"trace_id":"0af7"}}],)"
      R"(["1717000000000000000","GET /health 200",{}]]}])");
}

TEST(QueryJsonTest, MatrixVectorScalar) {
  logql::QueryResult m;
  m.type = logql::ResultType::kMatrix;
  logql::Series s;
  s.labels = Labels::FromPairs({{"level", "info"}});
  s.points = {{1717000000LL * 1000000000, 12}, {1717000060LL * 1000000000, 9.5}};
  m.series.push_back(s);
  EXPECT_EQ(Data(RenderQueryResult(m, {})),
            R"({"status":"success","data":{"resultType":"matrix","result":[)"
            R"({"metric":{"level":"info"},"values":[[1717000000,"12"],[1717000060,"9.5"]]}])");

  logql::QueryResult v;
  v.type = logql::ResultType::kVector;
  logql::Series one;
  one.points = {{4000000000LL * 1000000000, 2}};
  v.series.push_back(one);
  EXPECT_EQ(Data(RenderQueryResult(v, {})),
            R"({"status":"success","data":{"resultType":"vector","result":[)"
            R"({"metric":{},"value":[4000000000,"2"]}])");

  logql::QueryResult sc;
  sc.type = logql::ResultType::kScalar;
  sc.scalar = {1717000000123000000, 0.5};
  EXPECT_EQ(Data(RenderQueryResult(sc, {})),
            R"({"status":"success","data":{"resultType":"scalar","result":[1717000000.123,"0.5"])");
}

TEST(QueryJsonTest, StatsSkeletonHasLokiKeysAndTypes) {
  logql::QueryStats st;
  st.bytes_processed = 1000;
  st.lines_processed = 10;
  st.entries_returned = 2;
  st.exec_time_ns = 500'000'000;
  std::string out;
  AppendStatsJson(st, &out);
  EXPECT_NE(out.find(R"("totalBytesProcessed":1000)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("bytesProcessedPerSecond":2000)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("execTime":0.5)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("totalEntriesReturned":2)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("querier":{"store":{"totalChunksRef":0)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("ingester":{)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("index":{"totalChunks":0)"), std::string::npos) << out;
}

TEST(QueryJsonTest, MetadataLists) {
  EXPECT_EQ(RenderStringList({}), R"({"status":"success","data":[]})");
  EXPECT_EQ(RenderStringList({"app", "job"}), R"({"status":"success","data":["app","job"]})");
  EXPECT_EQ(RenderLabelSets({Labels::FromPairs({{"app", "api"}, {"env", "prod"}})}),
            R"({"status":"success","data":[{"app":"api","env":"prod"}]})");
}

}  // namespace
}  // namespace sluice::server
