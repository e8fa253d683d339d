#include "ingest/proto_push_decoder.h"

#include <exception>
#include <limits>
#include <string>
#include <unordered_map>

#include <snappy.h>

#include "ingest/body_encoding.h"
#include "ingest/label_string.h"
#include "proto/push.pb.h"

namespace sluice::ingest {

namespace {

// seconds * 1e9 + nanos, saturated to int64 (Go's UnixNano is undefined out of range; saturating
// makes such entries fail the too-old / too-new checks instead of wrapping around).
int64_t TimestampNanos(const google::protobuf::Timestamp& ts) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t s = ts.seconds();
  if (s > kMax / 1'000'000'000)
    return kMax;
  if (s < kMin / 1'000'000'000)
    return kMin;
  int64_t ns = s * 1'000'000'000;
  int64_t nanos = ts.nanos();
  if (nanos > 0 && ns > kMax - nanos)
    return kMax;
  if (nanos < 0 && ns < kMin - nanos)
    return kMin;
  return ns + nanos;
}

Status Convert(logproto::PushRequest* req, RawPush* out) {
  // Label strings already parsed in this body, so repeated streams are parsed once.
  std::unordered_map<std::string, std::vector<Label>> parsed;
  for (auto& s : *req->mutable_streams()) {
    ++out->stream_objects;
    if (s.entries_size() == 0)
      continue;  // Loki skips streams without entries
    // Only a run of equal label strings is merged here, so entries stay in request order when
    // the handler merges equal label sets.
    if (out->streams.empty() || out->streams.back().label_text != s.labels()) {
      RawStream rs;
      auto it = parsed.find(s.labels());
      if (it == parsed.end()) {
        std::vector<Label> labels;
        Status st = ParseRawLabelString(s.labels(), &labels);
        if (!st.ok())
          return InvalidArgumentError("couldn't parse labels: " + st.message());
        it = parsed.emplace(s.labels(), std::move(labels)).first;
      }
      rs.labels = it->second;
      rs.label_text = std::move(*s.mutable_labels());
      out->streams.push_back(std::move(rs));
    }
    std::vector<OwnedEntry>& dst = out->streams.back().entries;
    dst.reserve(dst.size() + static_cast<size_t>(s.entries_size()));
    for (auto& e : *s.mutable_entries()) {
      OwnedEntry& oe = dst.emplace_back();
      oe.timestamp_ns = TimestampNanos(e.timestamp());
      oe.line.swap(*e.mutable_line());
      oe.metadata.reserve(static_cast<size_t>(e.structuredmetadata_size()));
      for (auto& m : *e.mutable_structuredmetadata()) {
        Label& l = oe.metadata.emplace_back();
        l.name.swap(*m.mutable_name());
        l.value.swap(*m.mutable_value());
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status DecodeUncompressedProtoPush(std::string_view message, RawPush* out) {
  if (message.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return InvalidArgumentError("proto: message too large");
  }
  try {
    logproto::PushRequest req;
    if (!req.ParseFromArray(message.data(), static_cast<int>(message.size()))) {
      return InvalidArgumentError("proto: cannot parse PushRequest: invalid wire format");
    }
    return Convert(&req, out);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("proto: cannot parse PushRequest: ") + e.what());
  }
}

Status DecodeProtoPush(std::string_view body, size_t max_decompressed, RawPush* out) {
  size_t len = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &len)) {
    return InvalidArgumentError("snappy: corrupt input");
  }
  if (len > max_decompressed) {
    return Status(StatusCode::kTooLarge, BodyTooLargeMessage(len, max_decompressed));
  }
  static thread_local std::string buffer;
  if (buffer.capacity() > (64u << 20) && len < (1u << 20))
    std::string().swap(buffer);
  try {
    buffer.resize(len);
  } catch (const std::exception&) {
    return Status(StatusCode::kTooLarge, BodyTooLargeMessage(len, max_decompressed));
  }
  if (!snappy::RawUncompress(body.data(), body.size(), buffer.data())) {
    return InvalidArgumentError("snappy: corrupt input");
  }
  return DecodeUncompressedProtoPush(buffer, out);
}

}  // namespace sluice::ingest
