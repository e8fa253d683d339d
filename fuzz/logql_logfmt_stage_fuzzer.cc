// Fuzzes the logfmt parser stage (all fields, and with a needed-labels hint) on arbitrary lines,
// and checks the parser guard against the bare parser (logql_guard_check.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"
#include "logql_guard_check.h"

using namespace sluice::logql::log;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto all = std::move(*NewLogfmtParser({.strict = true}, {}));
  static auto hinted =
      std::move(*NewLogfmtParser({.keep_empty = true}, {}, std::vector<std::string>{"level"}));
  static LabelsBuilder lb;
  lb.SetStream(sluice::Labels::FromPairs({{"app", "fuzz"}, {"level", "x"}}));
  for (auto* s : {all.get(), hinted.get()}) {
    lb.Reset();
    std::string_view line(reinterpret_cast<const char*>(data), size);
    s->Process(0, &line, &lb);
    (void)lb.Labels();
    (void)lb.Hash();
  }
  CheckParserGuard([] { return std::move(*NewLogfmtParser({}, {})); },
                   std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
