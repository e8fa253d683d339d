#include "common/metrics.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(MetricsTest, RendersPrometheusText) {
  Registry r;
  Counter* c = r.NewCounter("x_total", "Things.", {"tenant"});
  c->Inc({"a"}, 2);
  c->Inc({"a"});
  Histogram* h = r.NewHistogram("lat_seconds", "Latency.", {"route"}, {0.1, 1});
  h->Observe({"/push"}, 0.05);
  h->Observe({"/push"}, 5);
  std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE x_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_total{tenant=\"a\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/push\",le=\"0.10000000000000001\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/push\",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count{route=\"/push\"} 2\n"), std::string::npos);
}

}  // namespace
}  // namespace sluice
