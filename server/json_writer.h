// JsonWriter: a small, fast, append-only JSON writer for responses.
//
//   std::string out;
//   JsonWriter w(&out);
//   w.BeginObject();
//   w.Key("status"); w.String("success");
//   w.Key("values"); w.BeginArray(); w.NanosString(ts); w.String(line); w.EndArray();
//   w.EndObject();
//
// Strings are escaped as Go's encoding/json does (control characters, quotes, backslash, and
// invalid UTF-8 replaced by U+FFFD), so any bytes a push accepted render as valid JSON. Commas
// are inserted automatically. Number formats follow Loki / Prometheus: floats in shortest
// round-trip fixed notation ('f', -1 in Go), NaN/+Inf/-Inf as strings where Loki writes them.
// REQUIRES: calls form valid JSON (keys only inside objects, balanced Begin/End); not checked
// beyond debug asserts. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_string.h"

namespace sluice::server {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);

  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  // A JSON number in shortest fixed notation; NaN/Inf are written as null (JSON has neither).
  void Double(double v);
  void Bool(bool v);
  void Null();
  // Inserts pre-rendered JSON as one value.
  void Raw(std::string_view json);

  // A timestamp in ns as a JSON string of the integer ("1717000000000000000").
  void NanosString(int64_t ns);
  // A timestamp in ns as a JSON number of seconds with at most 3 decimals ("1717000000.5"),
  // as Prometheus renders matrix/vector times (the ns are truncated to ms).
  void SecondsNumber(int64_t ns);
  // A sample value as a JSON string: shortest fixed notation, "NaN", "+Inf", "-Inf".
  void SampleValue(double v);

 private:
  void BeforeValue();

  std::string* out_;
  // One flag per open container: true once it has at least one element.
  std::vector<bool> has_elements_;
  bool after_key_ = false;
};

// Shortest round-trip fixed-notation rendering of a finite double (Go 'f', -1).
void AppendShortestFixed(double v, std::string* out);
// The string form Loki gives a sample value: shortest fixed, "NaN", "+Inf", "-Inf".
std::string FormatSampleValue(double v);

}  // namespace sluice::server
