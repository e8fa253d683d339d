#include "common/metrics.h"

#include <cmath>
#include <cstdio>

#include "common/labels.h"

namespace sluice {

namespace {

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

}  // namespace

std::string Metric::SeriesName(const std::string& name, const LabelValues& values,
                               const std::string& extra) const {
  std::string out = name;
  if (values.empty() && extra.empty()) return out;
  out += '{';
  for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names_[i];
    out += '=';
    AppendQuoted(values[i], &out);
  }
  if (!extra.empty()) {
    if (!values.empty()) out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

void Metric::RenderHeader(std::string* out, const char* type) const {
  *out += "# HELP " + name_ + " " + help_ + "\n";
  *out += "# TYPE " + name_ + " " + type + "\n";
}

void Counter::Inc(const LabelValues& values, double delta) {
  std::lock_guard lock(mu_);
  values_[values] += delta;
}

double Counter::Value(const LabelValues& values) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void Counter::Render(std::string* out) const {
  RenderHeader(out, "counter");
  std::lock_guard lock(mu_);
  if (values_.empty() && label_names_.empty()) *out += name_ + " 0\n";
  for (const auto& [lv, v] : values_) *out += SeriesName(name_, lv) + " " + FormatValue(v) + "\n";
}

void Gauge::Set(const LabelValues& values, double v) {
  std::lock_guard lock(mu_);
  values_[values] = v;
}

void Gauge::Add(const LabelValues& values, double delta) {
  std::lock_guard lock(mu_);
  values_[values] += delta;
}

double Gauge::Value(const LabelValues& values) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void Gauge::Render(std::string* out) const {
  RenderHeader(out, "gauge");
  std::lock_guard lock(mu_);
  if (values_.empty() && label_names_.empty()) *out += name_ + " 0\n";
  for (const auto& [lv, v] : values_) *out += SeriesName(name_, lv) + " " + FormatValue(v) + "\n";
}

void Histogram::Observe(const LabelValues& values, double v) {
  std::lock_guard lock(mu_);
  Series& s = series_[values];
  if (s.counts.empty()) s.counts.assign(buckets_.size(), 0);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (v <= buckets_[i]) {
      ++s.counts[i];
      break;
    }
  }
  ++s.count;
  s.sum += v;
}

uint64_t Histogram::Count(const LabelValues& values) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

void Histogram::Render(std::string* out) const {
  RenderHeader(out, "histogram");
  std::lock_guard lock(mu_);
  for (const auto& [lv, s] : series_) {
    uint64_t cum = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      cum += s.counts[i];
      *out += SeriesName(name_ + "_bucket", lv, "le=\"" + FormatValue(buckets_[i]) + "\"") + " " +
              std::to_string(cum) + "\n";
    }
    *out += SeriesName(name_ + "_bucket", lv, "le=\"+Inf\"") + " " + std::to_string(s.count) + "\n";
    *out += SeriesName(name_ + "_sum", lv) + " " + FormatValue(s.sum) + "\n";
    *out += SeriesName(name_ + "_count", lv) + " " + std::to_string(s.count) + "\n";
  }
}

std::vector<double> Histogram::DefaultBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Counter* Registry::NewCounter(std::string name, std::string help, std::vector<std::string> labels) {
  auto m = std::make_unique<Counter>(std::move(name), std::move(help), std::move(labels));
  Counter* raw = m.get();
  std::lock_guard lock(mu_);
  metrics_.push_back(std::move(m));
  return raw;
}

Gauge* Registry::NewGauge(std::string name, std::string help, std::vector<std::string> labels) {
  auto m = std::make_unique<Gauge>(std::move(name), std::move(help), std::move(labels));
  Gauge* raw = m.get();
  std::lock_guard lock(mu_);
  metrics_.push_back(std::move(m));
  return raw;
}

Histogram* Registry::NewHistogram(std::string name, std::string help,
                                  std::vector<std::string> labels, std::vector<double> buckets) {
  auto m = std::make_unique<Histogram>(std::move(name), std::move(help), std::move(labels),
                                       std::move(buckets));
  Histogram* raw = m.get();
  std::lock_guard lock(mu_);
  metrics_.push_back(std::move(m));
  return raw;
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& m : metrics_) m->Render(&out);
  return out;
}

Registry* Registry::Default() {
  static Registry* r = new Registry();
  return r;
}

}  // namespace sluice
