#include "logql/drilldown/field_type.h"

#include <charconv>
#include <cstdint>

#include "logql/log/label_filter.h"

namespace sluice::logql::drilldown {

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kInt:
      return "int";
    case FieldType::kFloat:
      return "float";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kDuration:
      return "duration";
    case FieldType::kBytes:
      return "bytes";
    case FieldType::kString:
      break;
  }
  return "string";
}

bool IsGoInt(std::string_view s) {
  bool plus = !s.empty() && s.front() == '+';
  if (plus)
    s.remove_prefix(1);
  if (s.empty() || (plus && s.front() == '-'))
    return false;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool IsGoBool(std::string_view s) {
  static constexpr std::string_view kForms[] = {"1", "t", "T", "TRUE",  "true",  "True",
                                                "0", "f", "F", "FALSE", "false", "False"};
  for (std::string_view f : kForms) {
    if (s == f)
      return true;
  }
  return false;
}

FieldType DetectFieldType(std::string_view value) {
  if (IsGoInt(value))
    return FieldType::kInt;
  if (log::ParseLabelFloat(value).ok())
    return FieldType::kFloat;
  if (IsGoBool(value))
    return FieldType::kBoolean;
  if (log::ParseLabelDuration(value).ok())
    return FieldType::kDuration;
  if (log::ParseHumanBytes(value).ok())
    return FieldType::kBytes;
  return FieldType::kString;
}

}  // namespace sluice::logql::drilldown
