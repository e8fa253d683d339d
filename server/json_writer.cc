#include "server/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace sluice::server {

void AppendShortestFixed(double v, std::string* out) {
  char buf[400];  // fixed notation of DBL_MAX has 309 digits
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  if (res.ec != std::errc()) {
    out->append("0");
    return;
  }
  std::string_view s(buf, res.ptr - buf);
  out->append(s);
}

std::string FormatSampleValue(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  std::string out;
  AppendShortestFixed(v, &out);
  return out;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_elements_.empty()) {
    if (has_elements_.back())
      out_->push_back(',');
    has_elements_.back() = true;
  }
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  has_elements_.push_back(false);
}

void JsonWriter::EndObject() {
  assert(!has_elements_.empty());
  has_elements_.pop_back();
  out_->push_back('}');
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  has_elements_.push_back(false);
}

void JsonWriter::EndArray() {
  assert(!has_elements_.empty());
  has_elements_.pop_back();
  out_->push_back(']');
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_->push_back('"');
  AppendJsonEscaped(key, out_);
  out_->append("\":");
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonQuoted(s, out_);
}

void JsonWriter::Int(int64_t v) {
  BeforeValue();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out_->append(buf, res.ptr - buf);
}

void JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out_->append(buf, res.ptr - buf);
}

void JsonWriter::Double(double v) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_->append("null");
    return;
  }
  AppendShortestFixed(v, out_);
}

void JsonWriter::Bool(bool v) {
  BeforeValue();
  out_->append(v ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_->append(json);
}

void JsonWriter::NanosString(int64_t ns) {
  BeforeValue();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), ns);
  out_->push_back('"');
  out_->append(buf, res.ptr - buf);
  out_->push_back('"');
}

void JsonWriter::SecondsNumber(int64_t ns) {
  BeforeValue();
  // Floor to milliseconds, then print seconds with the millisecond fraction trimmed.
  int64_t ms = ns / 1'000'000;
  if (ns < 0 && ns % 1'000'000 != 0)
    --ms;
  if (ms < 0)
    out_->push_back('-');
  uint64_t abs_ms = ms < 0 ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  uint64_t sec = abs_ms / 1000;
  uint64_t frac = abs_ms % 1000;
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof(buf), sec);
  out_->append(buf, res.ptr - buf);
  if (frac != 0) {
    char f[4] = {'.', static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                 static_cast<char>('0' + frac % 10)};
    size_t len = 4;
    while (f[len - 1] == '0')
      --len;
    out_->append(f, len);
  }
}

void JsonWriter::SampleValue(double v) {
  BeforeValue();
  out_->push_back('"');
  out_->append(FormatSampleValue(v));
  out_->push_back('"');
}

}  // namespace sluice::server
