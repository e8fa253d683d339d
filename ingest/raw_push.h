// RawPush: a push body as decoded from JSON or protobuf, before label normalisation,
// validation and enrichment (internal to ingest/; push_decoder.h and push_handler.h build on it).
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/status.h"

namespace sluice::ingest {

struct RawStream {
  // The label string as Loki quotes it in error messages: as sent for protobuf; for JSON the
  // stream object printed as Loki's LabelSet.String() (sorted, `, `-separated, Go-quoted).
  std::string label_text;
  // Parsed label pairs in input order; may hold empty values and (protobuf only) repeated
  // names, which validation reports.
  std::vector<Label> labels;
  // Entries in request order; metadata pairs in input order.
  std::vector<OwnedEntry> entries;
};

struct RawPush {
  // Stream objects of the body, in order. Runs of consecutive objects with byte-identical
  // label text are already merged here (pino sends one stream object per line).
  std::vector<RawStream> streams;
  // Stream objects in the body before any merging or skipping (Loki answers 422 when 0).
  size_t stream_objects = 0;
};

// Undoes Content-Encoding, picks JSON or protobuf by Content-Type and decodes into *out (see
// DecodePushBody in push_decoder.h for the errors).
Status DecodeRawPush(std::string_view content_type, std::string_view content_encoding,
                     std::string_view body, size_t max_decompressed, RawPush* out);

}  // namespace sluice::ingest
