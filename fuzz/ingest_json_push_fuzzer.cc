// libFuzzer target: JSON push bodies (simdjson decoding, labels, validation, level detection).
#include "ingest_push_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::ingest::fuzz::RunPushBody("application/json", data, size);
  return 0;
}
