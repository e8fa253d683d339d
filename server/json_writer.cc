#include "server/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace sluice::server {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i] (i < s.size(), s[i] >= 0x80), or 0 when
// the bytes there are not valid UTF-8 (overlong forms, surrogates and > U+10FFFF rejected).
size_t ValidUtf8Length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n = s.size() - i;
  auto cont = [&](size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF)
    return (n >= 2 && cont(i + 1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !cont(i + 1) || !cont(i + 2))
      return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0)
      return 0;  // overlong
    if (c == 0xED && b(i + 1) >= 0xA0)
      return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3))
      return 0;
    if (c == 0xF0 && b(i + 1) < 0x90)
      return 0;  // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90)
      return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void AppendJsonEscaped(std::string_view s, std::string* out) {
  size_t run_start = 0;
  size_t i = 0;
  auto flush = [&](size_t end) {
    if (end > run_start)
      out->append(s.data() + run_start, end - run_start);
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t len = ValidUtf8Length(s, i);
      if (len > 0) {
        // U+2028 / U+2029 are escaped by Go for JavaScript safety.
        if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
          flush(i);
          out->append(static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
          i += 3;
          run_start = i;
          continue;
        }
        i += len;
        continue;
      }
      flush(i);
      out->append("\\ufffd");
      ++i;
      run_start = i;
      continue;
    }
    flush(i);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(buf, 6);
      }
    }
    ++i;
    run_start = i;
  }
  flush(i);
}

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
  out_->push_back('"');
  AppendJsonEscaped(s, out_);
  out_->push_back('"');
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
