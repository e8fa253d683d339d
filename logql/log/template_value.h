// Internal to template*.cc: the dynamic value a Go template expression evaluates to, and the
// function table. Not part of the stage API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sluice::logql::log {

class LabelsBuilder;

struct TValue {
  enum class Type { kNil, kString, kInt, kFloat, kBool, kTime, kList, kMap, kLabels };
  Type type = Type::kNil;
  std::string s;
  int64_t i = 0;  // kInt; kTime: ns since epoch (UTC)
  double f = 0;
  bool b = false;
  std::shared_ptr<const std::vector<TValue>> list;
  std::shared_ptr<const std::vector<std::pair<std::string, TValue>>> map;  // sorted by key

  static TValue Str(std::string v) {
    TValue x;
    x.type = Type::kString;
    x.s = std::move(v);
    return x;
  }

  static TValue Int(int64_t v) {
    TValue x;
    x.type = Type::kInt;
    x.i = v;
    return x;
  }

  static TValue Float(double v) {
    TValue x;
    x.type = Type::kFloat;
    x.f = v;
    return x;
  }

  static TValue Bool(bool v) {
    TValue x;
    x.type = Type::kBool;
    x.b = v;
    return x;
  }

  static TValue Time(int64_t ns) {
    TValue x;
    x.type = Type::kTime;
    x.i = ns;
    return x;
  }
};

// Go's type names for error texts: "string", "int", "float64", "bool", "time.Time", ...
std::string_view TypeName(const TValue& v);
// fmt.Fprint of one value (what {{ x }} prints).
void AppendPrinted(const TValue& v, std::string* out);
std::string Printed(const TValue& v);
// text/template truth: non-empty string / non-zero number / true / non-empty list or map.
bool Truthy(const TValue& v);
// Go's time.Time.String() / layout formatting and parsing (UTC only).
std::string FormatGoTime(int64_t ns, std::string_view layout);
bool ParseGoTime(std::string_view layout, std::string_view value, int64_t* ns);
// fmt.Sprintf subset.
std::string GoSprintf(std::string_view format, const std::vector<TValue>& args);

struct TemplateContext {
  const LabelsBuilder* labels = nullptr;
  std::string_view line;
  int64_t ts_ns = 0;
};

using TemplateFunc = Result<TValue> (*)(const std::vector<TValue>& args,
                                        const TemplateContext& ctx);
// nullptr when `name` is not a template function.
TemplateFunc FindTemplateFunc(std::string_view name);

}  // namespace sluice::logql::log
