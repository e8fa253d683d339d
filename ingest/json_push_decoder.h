// Decoding of Loki JSON push bodies with simdjson On-Demand:
//   {"streams":[{"stream":{"job":"api"},"values":[["<ns>","line"],["<ns>","line",{"k":"v"}]]}]}
// As Loki: timestamps are JSON strings of integer ns (Go strconv.ParseInt), the third element a
// flat object of strings, `"values": null` and null entries skipped, unknown keys ignored,
// stream label values may be strings, numbers or booleans (their text). Label names must match
// [a-zA-Z_][a-zA-Z0-9_]* (else `couldn't parse labels: ...`, as Loki's label-string round trip).
// Thread-safety: safe from many threads; each thread reuses its own simdjson parser.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"
#include "ingest/raw_push.h"

namespace sluice::ingest {

// Decodes `body` into *out (appending). `capacity` is the number of bytes allocated at
// body.data(); when it is at least body.size() + kJsonPadding the body is parsed in place,
// otherwise it is first copied into a per-thread padded buffer. Errors are InvalidArgument.
Status DecodeJsonPush(std::string_view body, size_t capacity, RawPush* out);

}  // namespace sluice::ingest
