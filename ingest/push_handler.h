// PushHandler: Loki's POST /loki/api/v1/push minus HTTP plumbing. Takes the request as plain
// values, decodes, validates against the tenant's Limits, enriches (service_name,
// detected_level), hands the valid streams to an Appender, and returns the status code and
// plain-text body Loki would send.
// Thread-safety: Handle() may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/appender.h"
#include "ingest/limits.h"

namespace sluice::ingest {

struct PushHttpRequest {
  // The tenant the server resolved (X-Scope-OrgID, or "fake" when absent and auth is off).
  // Validated here (ValidateTenantId): a bad one answers 400 with Loki's text.
  std::string_view tenant;
  // Raw Content-Type header value. Empty (or has_content_type == false) means missing: 400
  // `mime: no media type`, as Loki.
  std::string_view content_type;
  bool has_content_type = true;
  // Raw Content-Encoding header value; empty when absent.
  std::string_view content_encoding;
  // The request body as received.
  std::string_view body;
};

struct PushResponse {
  // 204 on success; 400 validation, 413 too large, 422 no valid stream, 429 rate/stream
  // limit, 500 when the Appender failed (the only 5xx, so clients retry it).
  int http_status = 204;
  // Plain text (Content-Type: text/plain; charset=utf-8); empty for 204.
  std::string body;
  // What the Appender accepted, for metrics (line bytes only, as Loki's received-bytes).
  int64_t lines_accepted = 0;
  int64_t bytes_accepted = 0;
};

class PushHandler {
 public:
  // `appender` is borrowed and must outlive the handler. REQUIRES: appender != nullptr.
  PushHandler(PushOptions options, Appender* appender);
  ~PushHandler();
  PushHandler(const PushHandler&) = delete;
  PushHandler& operator=(const PushHandler&) = delete;

  PushResponse Handle(const PushHttpRequest& req);

  // The Limits that apply to `tenant` (per_tenant entry or defaults).
  const Limits& LimitsFor(std::string_view tenant) const;

 private:
  PushResponse HandleInternal(const PushHttpRequest& req);

  class State;  // rate limiters and active-stream tracking, behind a mutex
  PushOptions options_;
  Appender* appender_;
  std::unique_ptr<State> state_;
};

}  // namespace sluice::ingest
