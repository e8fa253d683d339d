// The HTTP framing of a push body, as Loki's push parser reads it: Content-Encoding (none,
// snappy = none, gzip, deflate = raw RFC 1951) and Content-Type (Go mime.ParseMediaType, then
// exactly application/json is JSON and anything else protobuf).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::ingest {

// Extra capacity left after decoded bytes, so simdjson can read them in place.
inline constexpr size_t kJsonPadding = 64;

// Undoes `encoding`. For "" and "snappy" sets *decoded = body and leaves *scratch alone;
// for gzip (multi-member, as Go) and deflate, inflates into *scratch (with kJsonPadding spare
// capacity) and points *decoded at it. Errors: InvalidArgument
// `Content-Encoding "<v>" not supported` or a gzip/flate error; kTooLarge
// `request body too large: <n> bytes, limit: <max> bytes` once more than `max_decompressed`
// bytes come out.
Status UndoContentEncoding(std::string_view encoding, std::string_view body,
                           size_t max_decompressed, std::string* scratch,
                           std::string_view* decoded);

enum class BodyFormat { kJson, kProtobuf };

// Go's mime.ParseMediaType checks (lower-cased type, token syntax, parameter syntax) with Go's
// error texts ("mime: no media type", ...), then kJson iff the media type is application/json.
Result<BodyFormat> ParseContentType(std::string_view content_type);

// Loki's 413 text.
std::string BodyTooLargeMessage(size_t size, size_t limit);

}  // namespace sluice::ingest
