#include "ingest/push_handler.h"

#include <exception>
#include <unordered_map>
#include <utility>

#include "common/tenant.h"
#include "ingest/body_encoding.h"
#include "ingest/go_format.h"
#include "ingest/raw_push.h"
#include "ingest/stream_validator.h"
#include "ingest/tenant_limiter.h"

namespace sluice::ingest {

namespace {

// Loki's ingester returns at most this many ignored entries in its error text.
constexpr size_t kMaxReturnedErrors = 10;

PushResponse Reply(int status, std::string body) {
  PushResponse r;
  r.http_status = status;
  r.body = std::move(body);
  return r;
}

int HttpStatusFor(const Status& st) {
  switch (st.code()) {
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kUnprocessable:
      return 422;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kInvalidArgument:
      return 400;
    default:
      return 500;
  }
}

// Loki's ingester text for entries refused by the store, one block per stream.
std::string RejectionText(std::string_view tenant, const std::vector<PushStream>& streams,
                          const std::vector<Rejection>& rejections) {
  std::string out;
  size_t i = 0;
  while (i < rejections.size()) {
    size_t stream = rejections[i].stream_index;
    size_t end = i;
    while (end < rejections.size() && rejections[end].stream_index == stream)
      ++end;
    if (stream >= streams.size()) {
      i = end;
      continue;
    }
    const PushStream& s = streams[stream];
    if (!out.empty())
      out += '\n';
    for (size_t k = i; k < end && k - i < kMaxReturnedErrors; ++k) {
      const Rejection& r = rejections[k];
      int64_t ts = r.entry_index < s.entries.size() ? s.entries[r.entry_index].timestamp_ns : 0;
      out += "entry with timestamp " + FormatGoTimeString(ts) + " ignored, reason: '" +
             "entry too far behind, entry timestamp is: " + FormatGoRFC3339(ts) +
             ", oldest acceptable timestamp is: " + FormatGoRFC3339(r.bound_ns) + "',\n";
    }
    out += "user '" + std::string(tenant) + "', total ignored: " + std::to_string(end - i) +
           " out of " + std::to_string(s.entries.size()) + " for stream: " + s.labels.ToString();
    i = end;
  }
  return out;
}

}  // namespace

class PushHandler::State {
 public:
  TenantLimiter limiter;
};

PushHandler::PushHandler(PushOptions options, Appender* appender)
    : options_(std::move(options)), appender_(appender), state_(std::make_unique<State>()) {
  if (options_.clock == nullptr)
    options_.clock = Clock::Default();
}

PushHandler::~PushHandler() = default;

const Limits& PushHandler::LimitsFor(std::string_view tenant) const {
  auto it = options_.per_tenant.find(std::string(tenant));
  return it != options_.per_tenant.end() ? it->second : options_.defaults;
}

PushResponse PushHandler::Handle(const PushHttpRequest& req) {
  try {
    return HandleInternal(req);
  } catch (const std::exception& e) {
    return Reply(500, std::string("internal error: ") + e.what());
  }
}

PushResponse PushHandler::HandleInternal(const PushHttpRequest& req) {
  if (Status st = ValidateTenantId(req.tenant); !st.ok()) {
    return Reply(HttpStatusFor(st), st.message());
  }
  if (req.body.size() > options_.max_body_bytes) {
    return Reply(413, BodyTooLargeMessage(req.body.size(), options_.max_body_bytes));
  }
  RawPush raw;
  std::string_view content_type = req.has_content_type ? req.content_type : std::string_view();
  if (Status st = DecodeRawPush(content_type, req.content_encoding, req.body,
                                options_.max_decompressed_bytes, &raw);
      !st.ok()) {
    return Reply(HttpStatusFor(st), st.message());
  }
  if (raw.stream_objects == 0) {
    return Reply(422, "error at least one valid stream is required for ingestion");
  }

  const Limits& limits = LimitsFor(req.tenant);
  const int64_t now = options_.clock->NowNanos();
  StreamValidator validator(limits, now);
  GroupedErrors errors;
  std::vector<PushStream> streams;
  std::unordered_map<uint64_t, std::vector<size_t>> by_hash;
  int64_t lines = 0, bytes = 0;
  for (RawStream& rs : raw.streams) {
    Labels labels;
    std::vector<OwnedEntry> entries;
    if (!validator.Process(&rs, &labels, &entries, &bytes, &errors) || entries.empty())
      continue;
    lines += static_cast<int64_t>(entries.size());
    std::vector<size_t>& same_hash = by_hash[labels.Hash()];
    PushStream* dst = nullptr;
    for (size_t i : same_hash) {
      if (streams[i].labels == labels)
        dst = &streams[i];
    }
    if (dst == nullptr) {
      same_hash.push_back(streams.size());
      streams.push_back(PushStream{std::move(labels), std::move(entries)});
    } else {
      dst->entries.insert(dst->entries.end(), std::make_move_iterator(entries.begin()),
                          std::make_move_iterator(entries.end()));
    }
  }
  PushResponse resp = errors.empty() ? Reply(204, "") : Reply(400, errors.Text());
  if (streams.empty())
    return resp;

  if (!state_->limiter.AllowBytes(req.tenant, limits, now, bytes)) {
    return Reply(429, "Ingestion rate limit exceeded for user " + std::string(req.tenant) +
                          " (limit: " + std::to_string(TenantLimiter::RateBytesPerSecond(limits)) +
                          " bytes/sec) while attempting to ingest '" + std::to_string(lines) +
                          "' lines totaling '" + std::to_string(bytes) +
                          "' bytes, reduce log volume or contact your Loki administrator to see "
                          "if the limit can be increased");
  }
  if (limits.max_streams_per_user > 0) {
    std::vector<uint64_t> hashes;
    hashes.reserve(streams.size());
    for (const PushStream& s : streams)
      hashes.push_back(s.labels.Hash());
    std::vector<size_t> refused =
        state_->limiter.AdmitStreams(req.tenant, limits, now, options_.stream_idle_ns, hashes);
    if (!refused.empty()) {
      resp = Reply(429, "Maximum active stream limit exceeded when trying to create stream " +
                            streams[refused[0]].labels.ToString() +
                            ", reduce the number of active streams (reduce labels or reduce "
                            "label values), or contact your Loki administrator to see if the "
                            "limit can be increased, user: '" +
                            std::string(req.tenant) + "'");
      for (auto it = refused.rbegin(); it != refused.rend(); ++it) {
        streams.erase(streams.begin() + static_cast<ptrdiff_t>(*it));
      }
      if (streams.empty())
        return resp;
    }
  }

  AppendReport report;
  if (Status st = appender_->Append(req.tenant, streams, &report); !st.ok()) {
    return Reply(500, st.message());
  }
  int64_t line_bytes = 0;
  for (const PushStream& s : streams) {
    for (const OwnedEntry& e : s.entries)
      line_bytes += static_cast<int64_t>(e.line.size());
  }
  for (const Rejection& r : report.rejections) {
    if (r.stream_index < streams.size() && r.entry_index < streams[r.stream_index].entries.size()) {
      line_bytes -=
          static_cast<int64_t>(streams[r.stream_index].entries[r.entry_index].line.size());
    }
  }
  resp.lines_accepted = report.accepted_entries;
  resp.bytes_accepted = line_bytes;
  if (!report.rejections.empty()) {
    // As Loki, the store's refusal decides the answer; validation messages follow it.
    std::string text = RejectionText(req.tenant, streams, report.rejections);
    if (!errors.empty())
      text += "\n" + errors.Text();
    resp.http_status = 400;
    resp.body = std::move(text);
  }
  return resp;
}

}  // namespace sluice::ingest
