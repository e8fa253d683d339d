// Helpers for ingest tests: an in-memory Appender and builders for push bodies in every
// encoding Loki accepts (JSON, gzip, raw deflate, snappy protobuf).
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <snappy.h>
#include <zlib.h>

#include "ingest/appender.h"
#include "proto/push.pb.h"

namespace sluice::ingest::testing {

// Stores every appended stream; optionally refuses entries older than the stream's newest
// minus `window_ns` (as the real store's out-of-order window) and drops exact duplicates.
class MemoryAppender : public Appender {
 public:
  Status Append(std::string_view tenant, const std::vector<PushStream>& streams,
                AppendReport* report) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!fail_.ok())
      return fail_;
    for (size_t s = 0; s < streams.size(); ++s) {
      for (size_t e = 0; e < streams[s].entries.size(); ++e) {
        const OwnedEntry& entry = streams[s].entries[e];
        if (window_ns_ > 0 && entry.timestamp_ns < newest_ - window_ns_) {
          report->rejections.push_back(
              Rejection{s, e, RejectReason::kTooFarBehind, newest_ - window_ns_});
          continue;
        }
        newest_ = std::max(newest_, entry.timestamp_ns);
        ++report->accepted_entries;
      }
    }
    pushes.push_back({std::string(tenant), streams});
    return Status::Ok();
  }

  void set_window(int64_t window_ns, int64_t newest_ns) {
    window_ns_ = window_ns;
    newest_ = newest_ns;
  }

  void set_failure(Status st) { fail_ = std::move(st); }

  std::vector<std::pair<std::string, std::vector<PushStream>>> pushes;

 private:
  std::mutex mu_;
  Status fail_;
  int64_t window_ns_ = 0;
  int64_t newest_ = INT64_MIN / 2;
};

// zlib compression: window_bits 16+15 = gzip, -15 = raw deflate, 15 = zlib.
inline std::string Deflate(std::string_view in, int window_bits) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline std::string Gzip(std::string_view in) {
  return Deflate(in, 16 + 15);
}

inline std::string RawDeflate(std::string_view in) {
  return Deflate(in, -15);
}

struct ProtoEntry {
  int64_t ts_ns;
  std::string line;
  std::vector<std::pair<std::string, std::string>> metadata = {};
};

inline logproto::PushRequest MakeRequest(
    const std::vector<std::pair<std::string, std::vector<ProtoEntry>>>& streams) {
  logproto::PushRequest req;
  for (const auto& [labels, entries] : streams) {
    auto* s = req.add_streams();
    s->set_labels(labels);
    for (const auto& e : entries) {
      auto* pe = s->add_entries();
      pe->mutable_timestamp()->set_seconds(e.ts_ns / 1'000'000'000);
      pe->mutable_timestamp()->set_nanos(static_cast<int>(e.ts_ns % 1'000'000'000));
      pe->set_line(e.line);
      for (const auto& [k, v] : e.metadata) {
        auto* m = pe->add_structuredmetadata();
        m->set_name(k);
        m->set_value(v);
      }
    }
  }
  return req;
}

inline std::string SnappyProto(const logproto::PushRequest& req) {
  std::string raw = req.SerializeAsString();
  std::string out;
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

}  // namespace sluice::ingest::testing
