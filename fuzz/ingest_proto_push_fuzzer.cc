// libFuzzer target: protobuf push bodies. The input is the uncompressed PushRequest; it is
// snappy-compressed here so the fuzzer explores the protobuf and label-string layers (raw input
// is also tried as a snappy stream, for the decompressor's error paths).
#include <string>

#include <snappy.h>

#include "ingest_push_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string compressed;
  snappy::Compress(reinterpret_cast<const char*>(data), size, &compressed);
  sluice::ingest::fuzz::RunPushBody("application/x-protobuf",
                                    reinterpret_cast<const uint8_t*>(compressed.data()),
                                    compressed.size());
  sluice::ingest::fuzz::RunPushBody("application/x-protobuf", data, size);
  return 0;
}
