// Push body decoding: Content-Encoding (gzip, deflate, snappy no-op), Content-Type (exactly
// application/json -> JSON, anything else -> snappy block + protobuf), label strings, and the
// merging of streams with equal label sets. No validation or enrichment (see push_handler.h).
// Thread-safety: free functions; safe to call from many threads (per-thread parser reuse).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ingest/appender.h"

namespace sluice::ingest {

// Undoes `content_encoding` ("" / "snappy": none; "gzip"; "deflate" = raw RFC 1951) and decodes
// the body by `content_type`, then parses label strings and merges streams whose normalised
// label sets are equal (entries kept in request order). Streams without entries are dropped.
// Errors (all HTTP 400 unless noted), with Loki's texts where Loki has one:
//   kInvalidArgument  `Content-Encoding "br" not supported`, `mime: no media type`, malformed
//                     JSON / protobuf / snappy / gzip, `couldn't parse labels: ...`
//   kTooLarge (413)   `request body too large: <n> bytes, limit: <m> bytes` when the decoded
//                     body would exceed max_decompressed.
// Label names are NOT validated here beyond what the label-string syntax requires.
Result<std::vector<PushStream>> DecodePushBody(std::string_view content_type,
                                               std::string_view content_encoding,
                                               std::string_view body, size_t max_decompressed);

}  // namespace sluice::ingest
