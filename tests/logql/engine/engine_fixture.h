// Shared fixture for engine tests: the data of logql.md §8 (streams A, B, C) in a
// MemoryQuerier, and helpers to run instant / range queries through Engine::Exec and read
// results by label string.
#pragma once

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "logql/engine.h"
#include "memory_querier.h"

namespace sluice::logql::test_util {

class EngineFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const Labels a = Labels::FromPairs({{"namespace", "prod"}, {"service_name", "order-service"}});
    const Labels b =
        Labels::FromPairs({{"namespace", "prod"}, {"service_name", "payment-service"}});
    const Labels c = Labels::FromPairs({{"app", "x"}, {"namespace", "dev"}});
    q_.Add(a, 10 * kSec,
           R"({"level":"info","msg":"created","trace_id":"abc123","latency":"1s","status":200})");
    q_.Add(
        a, 20 * kSec,
        R"({"level":"error","msg":"db timeout","trace_id":"def456","latency":"3s","status":500})");
    q_.Add(
        a, 40 * kSec,
        R"({"level":"error","msg":"payment failed","trace_id":"abc123","latency":"500ms","status":502})");
    q_.Add(a, 50 * kSec, "not json");
    q_.Add(a, 70 * kSec,
           R"({"level":"warn","msg":"retry","trace_id":"ghi789","latency":"80ms","status":200})");
    q_.Add(b, 15 * kSec,
           R"({"level":"error","msg":"card declined","trace_id":"abc123","status":402})");
    q_.Add(b, 45 * kSec, R"({"level":"info","msg":"ok","trace_id":"xyz000","status":200})");
    q_.Add(c, 5 * kSec, R"(level=info msg="started")");
    q_.Add(c, 25 * kSec, R"(level=error msg="connection error" duration=1.5s)");
    q_.Add(c, 55 * kSec, R"(level=error msg="disk full" duration=300ms)");
    q_.Add(c, 65 * kSec, R"(level=warn msg="slow error path")");
  }

  Result<QueryResult> Instant(const std::string& query, int64_t t_sec) {
    QueryParams p;
    p.query = query;
    p.start_ns = p.end_ns = t_sec * kSec;
    p.instant = true;
    return Engine(&q_, options_).Exec("fake", p);
  }

  Result<QueryResult> Range(const std::string& query, int64_t start_sec, int64_t end_sec,
                            int64_t step_sec) {
    QueryParams p;
    p.query = query;
    p.start_ns = start_sec * kSec;
    p.end_ns = end_sec * kSec;
    p.step_ns = step_sec * kSec;
    return Engine(&q_, options_).Exec("fake", p);
  }

  // Log query over [0, 100) s.
  Result<QueryResult> Logs(const std::string& query, uint32_t limit = 100,
                           Direction d = Direction::kBackward) {
    QueryParams p;
    p.query = query;
    p.start_ns = 0;
    p.end_ns = 100 * kSec;
    p.limit = limit;
    p.direction = d;
    return Engine(&q_, options_).Exec("fake", p);
  }

  // label string -> value of an instant vector.
  static std::map<std::string, double> VectorOf(const QueryResult& r) {
    EXPECT_EQ(r.type, ResultType::kVector);
    std::map<std::string, double> out;
    for (const Series& s : r.series) {
      EXPECT_EQ(s.points.size(), 1u);
      out[s.labels.ToString()] = s.points.empty() ? -1 : s.points[0].value;
    }
    return out;
  }

  // label string -> (seconds -> value) of a matrix.
  static std::map<std::string, std::map<int64_t, double>> MatrixOf(const QueryResult& r) {
    EXPECT_EQ(r.type, ResultType::kMatrix);
    std::map<std::string, std::map<int64_t, double>> out;
    for (const Series& s : r.series) {
      for (const Point& p : s.points)
        out[s.labels.ToString()][p.timestamp_ns / kSec] = p.value;
    }
    return out;
  }

  MemoryQuerier q_;
  EngineOptions options_;
};

}  // namespace sluice::logql::test_util
