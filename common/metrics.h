// A small Prometheus metrics registry: counters, gauges and histograms with label values,
// rendered in the Prometheus text exposition format (version 0.0.4) for GET /metrics.
//
//   static Counter* lines = Registry::Default()->NewCounter(
//       "sluice_ingest_lines_total", "Log lines accepted.", {"tenant"});
//   lines->Inc({"fake"}, 3);
//   std::string text = Registry::Default()->Render();
//
// Metric objects are owned by their registry and live as long as it. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice {

using LabelValues = std::vector<std::string>;

class Metric {
 public:
  Metric(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~Metric() = default;
  const std::string& name() const { return name_; }
  virtual void Render(std::string* out) const = 0;

 protected:
  // `name{a="x",b="y"}` (extra appends one more label, e.g. le="0.5").
  std::string SeriesName(const std::string& name, const LabelValues& values,
                         const std::string& extra = "") const;
  void RenderHeader(std::string* out, const char* type) const;

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
};

class Counter final : public Metric {
 public:
  using Metric::Metric;
  void Inc(const LabelValues& values = {}, double delta = 1);
  double Value(const LabelValues& values = {}) const;
  void Render(std::string* out) const override;

 private:
  mutable std::mutex mu_;
  std::map<LabelValues, double> values_;
};

class Gauge final : public Metric {
 public:
  using Metric::Metric;
  void Set(const LabelValues& values, double v);
  void Set(double v) { Set({}, v); }
  void Add(const LabelValues& values, double delta);
  double Value(const LabelValues& values = {}) const;
  void Render(std::string* out) const override;

 private:
  mutable std::mutex mu_;
  std::map<LabelValues, double> values_;
};

class Histogram final : public Metric {
 public:
  Histogram(std::string name, std::string help, std::vector<std::string> label_names,
            std::vector<double> buckets)
      : Metric(std::move(name), std::move(help), std::move(label_names)),
        buckets_(std::move(buckets)) {}
  void Observe(const LabelValues& values, double v);
  void Observe(double v) { Observe({}, v); }
  uint64_t Count(const LabelValues& values = {}) const;
  void Render(std::string* out) const override;

  // Prometheus' default latency buckets, in seconds.
  static std::vector<double> DefaultBuckets();

 private:
  struct Series {
    std::vector<uint64_t> counts;  // per bucket, non-cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  std::vector<double> buckets_;
  mutable std::mutex mu_;
  std::map<LabelValues, Series> series_;
};

class Registry {
 public:
  Counter* NewCounter(std::string name, std::string help, std::vector<std::string> labels = {});
  Gauge* NewGauge(std::string name, std::string help, std::vector<std::string> labels = {});
  Histogram* NewHistogram(std::string name, std::string help, std::vector<std::string> labels,
                          std::vector<double> buckets = Histogram::DefaultBuckets());

  // Text exposition of every metric, in registration order.
  std::string Render() const;

  // The process-wide registry. Never null.
  static Registry* Default();

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Metric>> metrics_;
};

}  // namespace sluice
