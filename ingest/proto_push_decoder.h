// Decoding of Loki protobuf push bodies: snappy block format (not framed), then
// logproto.PushRequest (proto/push.proto, text fields as bytes so invalid UTF-8 passes as in
// Go). Each stream's label string is parsed with ParseRawLabelString; a failure rejects the whole
// body with `couldn't parse labels: ...`, as Loki.
// Thread-safety: safe from many threads (per-thread decompression buffer).
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"
#include "ingest/raw_push.h"

namespace sluice::ingest {

// Decodes `body` (snappy-compressed PushRequest) into *out (appending). Errors: InvalidArgument
// (`snappy: corrupt input`, protobuf wire errors, label strings), kTooLarge when the
// uncompressed length exceeds `max_decompressed`.
Status DecodeProtoPush(std::string_view body, size_t max_decompressed, RawPush* out);

// The same for an already uncompressed PushRequest (for tests and the fuzzer).
Status DecodeUncompressedProtoPush(std::string_view message, RawPush* out);

}  // namespace sluice::ingest
