#include "agent/batch_sender.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace sluice::agent {
namespace {

bool Retryable(int status) {
  return status == 429 || status >= 500;
}

}  // namespace

BatchSender::BatchSender(Options options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Default()),
      rng_(options_.seed) {}

int64_t BatchSender::BaseDelay(int attempt, const BackoffConfig& backoff) {
  int64_t d = std::max<int64_t>(backoff.min_period_ns, 1);
  for (int i = 1; i < attempt && d < backoff.max_period_ns; ++i)
    d *= 2;
  return std::min(d, std::max(backoff.max_period_ns, backoff.min_period_ns));
}

std::optional<int64_t> BatchSender::ParseRetryAfter(std::string_view value, int64_t now_wall_ns) {
  while (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ')
    value.remove_suffix(1);
  if (value.empty())
    return std::nullopt;
  int64_t secs = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
  if (ec == std::errc() && p == value.data() + value.size()) {
    if (secs < 0)
      return std::nullopt;
    return std::min<int64_t>(secs, 86400) * 1'000'000'000;
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  std::string s(value);
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0')
    return std::nullopt;
  int64_t at = static_cast<int64_t>(timegm(&tm)) * 1'000'000'000;
  return std::max<int64_t>(0, at - now_wall_ns);
}

void BatchSender::Finish(const Batch& batch, bool sent, std::string_view reason) {
  AgentMetrics* m = options_.metrics;
  const std::string& tenant = batch.tenant.empty() ? options_.client->tenant_id : batch.tenant;
  for (const ShipEntry& e : batch.entries)
    e.ack.Ack();
  if (m == nullptr)
    return;
  if (sent) {
    m->sent_entries->Inc({tenant}, static_cast<double>(batch.entries.size()));
    double bytes = 0;
    for (const ShipEntry& e : batch.entries)
      bytes += static_cast<double>(e.line.size());
    m->sent_bytes->Inc({tenant}, bytes);
  } else {
    m->dropped->Inc({std::string(reason)}, static_cast<double>(batch.entries.size()));
  }
}

SendOutcome BatchSender::Send(const Batch& batch) {
  if (batch.entries.empty())
    return SendOutcome::kSent;
  return SendWhole(batch);
}

SendOutcome BatchSender::SendWhole(const Batch& batch) {
  const ClientConfig& client = *options_.client;
  HttpPost post;
  post.host = client.host;
  post.port = client.port;
  post.target = client.target;
  post.timeout_ns = client.timeout_ns;
  post.headers = client.headers;
  if (client.format == PushFormat::kJson) {
    post.headers.emplace_back("Content-Type", "application/json");
    post.body = EncodeJson(batch);
  } else {
    post.headers.emplace_back("Content-Type", "application/x-protobuf");
    post.body = EncodeProtobuf(batch);
  }
  const std::string& tenant = batch.tenant.empty() ? client.tenant_id : batch.tenant;
  if (!tenant.empty())
    post.headers.emplace_back("X-Scope-OrgID", tenant);

  AgentMetrics* m = options_.metrics;
  for (int attempt = 1;; ++attempt) {
    int64_t start = clock_->MonotonicNanos();
    Result<HttpReply> reply = options_.http->Post(post);
    ++requests_;
    if (m != nullptr) {
      m->request_duration->Observe(static_cast<double>(clock_->MonotonicNanos() - start) / 1e9);
      m->requests->Inc({reply.ok() ? std::to_string(reply->status) : "network"});
    }
    std::string reason;
    std::optional<int64_t> retry_after;
    if (reply.ok()) {
      int status = reply->status;
      if (status >= 200 && status < 300) {
        Finish(batch, true, "");
        return SendOutcome::kSent;
      }
      if (status == 413) {
        if (batch.entries.size() < 2) {
          spdlog::warn("push to {}: entry too large (413), dropped: {}", client.url, reply->body);
          Finish(batch, false, "http_413");
          return SendOutcome::kGivenUp;
        }
        auto [a, b] = batch.Split();
        SendOutcome first = SendWhole(a);
        if (first == SendOutcome::kAborted)
          return first;
        SendOutcome second = SendWhole(b);
        return second == SendOutcome::kSent ? first : second;
      }
      if (status == 429 && client.drop_rate_limited_batches) {
        Finish(batch, false, "rate_limited");
        return SendOutcome::kGivenUp;
      }
      if (!Retryable(status)) {
        spdlog::warn("push to {}: HTTP {} (not retried, {} entries): {}", client.url, status,
                     batch.entries.size(), reply->body.substr(0, 512));
        Finish(batch, false, "http_" + std::to_string(status));
        return SendOutcome::kGivenUp;
      }
      reason = std::to_string(status);
      retry_after = ParseRetryAfter(reply->retry_after, clock_->NowNanos());
    } else {
      reason = "network";
      if (attempt == 1 || attempt % 10 == 0) {
        spdlog::warn("push to {} failed (attempt {}): {}", client.url, attempt,
                     reply.status().message());
      }
    }
    if (client.backoff.max_retries > 0 && attempt > client.backoff.max_retries) {
      spdlog::error("push to {}: giving up after {} attempts ({} entries)", client.url, attempt,
                    batch.entries.size());
      Finish(batch, false, "max_retries");
      return SendOutcome::kGivenUp;
    }
    if (m != nullptr)
      m->retries->Inc({reason});
    int64_t delay = BaseDelay(attempt, client.backoff);
    std::uniform_int_distribution<int64_t> jitter(delay / 2, delay);
    delay = jitter(rng_);
    if (retry_after)
      delay = std::max(delay, *retry_after);
    if (!options_.sleep(delay))
      return SendOutcome::kAborted;
  }
}

}  // namespace sluice::agent
