// Fuzzes pattern compilation (parser and |> line filter forms) and matching: the first line of
// the input is the pattern, the rest the log line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

using namespace sluice::logql::log;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view pattern = in.substr(0, nl);
  std::string_view line = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  LabelsBuilder lb;
  lb.SetStream(sluice::Labels::FromPairs({{"app", "fuzz"}}));
  if (auto p = NewPatternParser(pattern); p.ok()) {
    std::string_view l = line;
    (*p)->Process(0, &l, &lb);
  }
  if (auto f = NewLineFilter(LineFilterOp::kPattern, {{std::string(pattern)}}); f.ok()) {
    (void)(*f)->Matches(line);
  }
  return 0;
}
