// Fuzzes the line_format template compiler and renderer on arbitrary template text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

using namespace sluice::logql::log;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view tmpl(reinterpret_cast<const char*>(data), size);
  auto s = NewLineFormat(tmpl);
  if (!s.ok())
    return 0;
  LabelsBuilder lb;
  lb.SetStream(sluice::Labels::FromPairs({{"app", "fuzz"}}));
  lb.Reset();
  lb.Set(LabelCategory::kParsed, "n", "42");
  lb.Set(LabelCategory::kParsed, "msg", "hello world");
  std::string_view line = "the line";
  (*s)->Process(1700000000000000000, &line, &lb);
  return 0;
}
