// Shared body of the ingest fuzzers: runs a body through DecodePushBody and the full
// PushHandler (validation, enrichment) with a null Appender. Nothing may crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "ingest/ingest.h"

namespace sluice::ingest::fuzz {

class NullAppender : public Appender {
 public:
  Status Append(std::string_view, const std::vector<PushStream>& streams,
                AppendReport* report) override {
    for (const auto& s : streams)
      report->accepted_entries += static_cast<int64_t>(s.entries.size());
    return Status::Ok();
  }
};

inline void RunPushBody(std::string_view content_type, const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto decoded = DecodePushBody(content_type, "", body, 1 << 20);
  (void)decoded;
  static ManualClock clock(1717000000LL * 1'000'000'000);
  static NullAppender appender;
  static PushHandler* handler = [] {
    PushOptions options;
    options.clock = &clock;
    options.max_decompressed_bytes = 1 << 20;
    return new PushHandler(options, &appender);
  }();
  PushResponse r = handler->Handle(PushHttpRequest{"fake", content_type, true, "", body});
  if (r.http_status < 200 || r.http_status > 599)
    __builtin_trap();
}

}  // namespace sluice::ingest::fuzz
