// libFuzzer target: Docker json-file lines through LineDecoder (and format detection).
#include <cstddef>
#include <cstdint>

#include "agent_decoder_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::agent::FuzzDecoder(sluice::agent::LineFormat::kDocker, data, size);
  sluice::agent::FuzzDecoder(sluice::agent::LineFormat::kAuto, data, size);
  return 0;
}
