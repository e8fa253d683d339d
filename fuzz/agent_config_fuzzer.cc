// libFuzzer target: the Promtail-shaped config loader (YAML, key checks, relabel and pipeline
// compilation). Must never crash or throw, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024)
    return 0;
  sluice::agent::ConfigWarnings warnings;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  sluice::agent::LoadConfig(text, "/nonexistent/fuzz.yaml", &warnings).status().IgnoreError();
  return 0;
}
