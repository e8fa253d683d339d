// libFuzzer target: CRI lines (`<time> <stream> <P|F> <msg>`) through LineDecoder.
#include <cstddef>
#include <cstdint>

#include "agent_decoder_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::agent::FuzzDecoder(sluice::agent::LineFormat::kCri, data, size);
  return 0;
}
