// Type detection for Loki's detected_fields: the first of Go's strconv.ParseInt,
// strconv.ParseFloat, strconv.ParseBool, time.ParseDuration and humanize.ParseBytes that
// accepts a value gives its type (pkg/querier/queryrange/detected_fields.go determineType).
//   DetectFieldType("200") == FieldType::kInt;  DetectFieldType("1.5s") == kDuration;
//   DetectFieldType("10MB") == kBytes;          DetectFieldType("GET") == kString.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace sluice::logql::drilldown {

enum class FieldType { kString, kInt, kFloat, kBoolean, kDuration, kBytes };

// "string", "int", "float", "boolean", "duration", "bytes" (Loki's DetectedFieldType).
std::string_view FieldTypeName(FieldType t);

FieldType DetectFieldType(std::string_view value);

// Go strconv.ParseInt(s, 10, 64) succeeds.
bool IsGoInt(std::string_view s);
// Go strconv.ParseBool succeeds ("1", "t", "T", "TRUE", "true", "True", and the false forms).
bool IsGoBool(std::string_view s);

}  // namespace sluice::logql::drilldown
