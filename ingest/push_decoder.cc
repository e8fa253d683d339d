#include "ingest/push_decoder.h"

#include <unordered_map>

#include "ingest/body_encoding.h"
#include "ingest/json_push_decoder.h"
#include "ingest/proto_push_decoder.h"
#include "ingest/raw_push.h"

namespace sluice::ingest {

Status DecodeRawPush(std::string_view content_type, std::string_view content_encoding,
                     std::string_view body, size_t max_decompressed, RawPush* out) {
  std::string inflated;
  std::string_view decoded;
  SLUICE_RETURN_IF_ERROR(
      UndoContentEncoding(content_encoding, body, max_decompressed, &inflated, &decoded));
  if (decoded.size() > max_decompressed) {
    return Status(StatusCode::kTooLarge, BodyTooLargeMessage(decoded.size(), max_decompressed));
  }
  SLUICE_ASSIGN_OR_RETURN(BodyFormat format, ParseContentType(content_type));
  if (format == BodyFormat::kJson) {
    size_t capacity = decoded.data() == inflated.data() ? inflated.capacity() : decoded.size();
    return DecodeJsonPush(decoded, capacity, out);
  }
  return DecodeProtoPush(decoded, max_decompressed, out);
}

Result<std::vector<PushStream>> DecodePushBody(std::string_view content_type,
                                               std::string_view content_encoding,
                                               std::string_view body, size_t max_decompressed) {
  RawPush raw;
  SLUICE_RETURN_IF_ERROR(
      DecodeRawPush(content_type, content_encoding, body, max_decompressed, &raw));
  std::vector<PushStream> out;
  std::unordered_map<uint64_t, std::vector<size_t>> by_hash;
  for (RawStream& rs : raw.streams) {
    Labels labels(std::move(rs.labels));
    std::vector<size_t>& candidates = by_hash[labels.Hash()];
    PushStream* dst = nullptr;
    for (size_t i : candidates) {
      if (out[i].labels == labels)
        dst = &out[i];
    }
    if (dst == nullptr) {
      candidates.push_back(out.size());
      out.push_back(PushStream{std::move(labels), std::move(rs.entries)});
      continue;
    }
    dst->entries.insert(dst->entries.end(), std::make_move_iterator(rs.entries.begin()),
                        std::make_move_iterator(rs.entries.end()));
  }
  return out;
}

}  // namespace sluice::ingest
