#include "server/tail_hub.h"

#include <algorithm>
#include <map>
#include <thread>

#include "logql/drilldown/entry_filter.h"
#include "logql/engine.h"
#include "server/json_writer.h"

namespace sluice::server {

// ---- TailSubscription ----

TailSubscription::TailSubscription(TailHub* hub, std::string tenant, TailRequest request,
                                   std::unique_ptr<logql::drilldown::EntryFilter> filter,
                                   std::shared_ptr<std::atomic<int>> live)
    : hub_(hub),
      tenant_(std::move(tenant)),
      request_(std::move(request)),
      filter_(std::move(filter)),
      live_(std::move(live)) {
  live_->fetch_add(1);
}

TailSubscription::~TailSubscription() {
  live_->fetch_sub(1);
}

void TailSubscription::Offer(const ingest::PushStream& stream, const std::vector<bool>* rejected) {
  const TailHubOptions& o = hub_->options();
  std::lock_guard lock(mu_);
  if (closed_ || !filter_->MatchesStream(stream.labels))
    return;
  const int64_t now = o.clock->NowNanos();
  bool offered = false;
  for (size_t i = 0; i < stream.entries.size(); ++i) {
    if (rejected != nullptr && (*rejected)[i])
      continue;
    const OwnedEntry& e = stream.entries[i];
    std::string_view line;
    if (!filter_->Process(stream.labels, e.view(), &line))
      continue;
    offered = true;
    if (queue_.size() >= o.queue_entries) {
      if (dropped_.size() < o.max_dropped_reported)
        dropped_.push_back(DroppedEntry{filter_->labels(), e.timestamp_ns});
      continue;
    }
    Pending p;
    p.entry.timestamp_ns = e.timestamp_ns;
    p.entry.line = std::string(line);
    if (request_.categorize_labels) {
      p.entry.labels = filter_->stream_labels();
      p.entry.structured_metadata = filter_->structured_metadata();
      p.entry.parsed = filter_->parsed();
    } else {
      p.entry.labels = filter_->labels();
    }
    p.deliver_at_ns = now + request_.delay_for_ns;
    queue_.push_back(std::move(p));
  }
  if (!offered)
    return;
  cv_.notify_all();
  if (notify_)
    notify_();
}

void TailSubscription::SetNotify(std::function<void()> notify) {
  std::lock_guard lock(mu_);
  notify_ = std::move(notify);
}

bool TailSubscription::WaitFrame(std::chrono::milliseconds timeout, TailFrame* frame) {
  frame->entries.clear();
  frame->dropped.clear();
  Clock* clock = hub_->options().clock;
  std::unique_lock lock(mu_);
  auto ready = [&] {
    return closed_ || !dropped_.empty() ||
           (!queue_.empty() && queue_.front().deliver_at_ns <= clock->NowNanos());
  };
  if (!ready()) {
    auto wait = timeout;
    if (!queue_.empty()) {  // wake when the first delayed entry becomes due
      auto due = std::chrono::nanoseconds(queue_.front().deliver_at_ns - clock->NowNanos());
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(due) +
                                std::chrono::milliseconds(1));
    }
    cv_.wait_for(lock, wait, ready);
  }
  const int64_t now = clock->NowNanos();
  while (!queue_.empty() && (closed_ || queue_.front().deliver_at_ns <= now)) {
    frame->entries.push_back(std::move(queue_.front().entry));
    queue_.pop_front();
  }
  frame->dropped.swap(dropped_);
  const bool open = !closed_ || !frame->empty();
  lock.unlock();
  std::stable_sort(
      frame->entries.begin(), frame->entries.end(),
      [](const TailEntry& a, const TailEntry& b) { return a.timestamp_ns < b.timestamp_ns; });
  return open;
}

void TailSubscription::MarkClosed(bool notify) {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
  if (notify && notify_)
    notify_();  // the consumer learns of the close now, not at its next poll
}

void TailSubscription::Close() {
  MarkClosed();
  hub_->Remove(this);
}

bool TailSubscription::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

// ---- TailHub ----

TailHub::TailHub(TailHubOptions options) : options_(std::move(options)) {
  if (options_.clock == nullptr)
    options_.clock = Clock::Default();
}

TailHub::~TailHub() {
  Shutdown();
}

Result<std::shared_ptr<TailSubscription>> TailHub::Subscribe(std::string tenant,
                                                             TailRequest request) {
  SLUICE_ASSIGN_OR_RETURN(auto filter, logql::drilldown::EntryFilter::Parse(request.query));
  std::lock_guard lock(mu_);
  if (shut_down_)
    return FailedPreconditionError("server is shutting down");
  auto& subs = by_tenant_[tenant];
  if (options_.max_tails_per_tenant > 0 &&
      static_cast<int>(subs.size()) >= options_.max_tails_per_tenant) {
    return ResourceExhaustedError("max concurrent tail requests limit exceeded");
  }
  std::shared_ptr<TailSubscription> sub(
      new TailSubscription(this, tenant, std::move(request), std::move(filter), live_));
  subs.push_back(sub);
  return sub;
}

void TailHub::Remove(TailSubscription* sub) {
  std::lock_guard lock(mu_);
  auto it = by_tenant_.find(sub->tenant_);
  if (it == by_tenant_.end())
    return;
  std::erase_if(it->second, [sub](const auto& s) { return s.get() == sub; });
  if (it->second.empty())
    by_tenant_.erase(it);
}

void TailHub::Publish(std::string_view tenant, const std::vector<ingest::PushStream>& streams,
                      const ingest::AppendReport* report) {
  std::vector<std::shared_ptr<TailSubscription>> subs;
  {
    std::lock_guard lock(mu_);
    auto it = by_tenant_.find(std::string(tenant));
    if (it == by_tenant_.end())
      return;
    subs = it->second;
  }
  // Rejected entries, by stream index.
  std::map<size_t, std::vector<bool>> rejected;
  if (report != nullptr) {
    for (const ingest::Rejection& r : report->rejections) {
      auto& v = rejected[r.stream_index];
      v.resize(streams[r.stream_index].entries.size(), false);
      v[r.entry_index] = true;
    }
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    auto rj = rejected.find(i);
    const std::vector<bool>* rv = rj == rejected.end() ? nullptr : &rj->second;
    for (const auto& sub : subs)
      sub->Offer(streams[i], rv);
  }
}

void TailHub::Shutdown() {
  std::vector<std::shared_ptr<TailSubscription>> all;
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
    for (auto& [tenant, subs] : by_tenant_)
      all.insert(all.end(), subs.begin(), subs.end());
    by_tenant_.clear();
  }
  for (const auto& s : all)
    s->MarkClosed(/*notify=*/true);
}

bool TailHub::WaitForSubscriptionsToEnd(std::chrono::milliseconds max_wait) const {
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  while (live_->load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

size_t TailHub::subscribers() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [tenant, subs] : by_tenant_)
    n += subs.size();
  return n;
}

// ---- TailingAppender ----

Status TailingAppender::Append(std::string_view tenant,
                               const std::vector<ingest::PushStream>& streams,
                               ingest::AppendReport* report) {
  SLUICE_RETURN_IF_ERROR(inner_->Append(tenant, streams, report));
  hub_->Publish(tenant, streams, report);
  return Status::Ok();
}

// ---- Replay and rendering ----

Result<TailFrame> ReplayTail(const logql::Engine& engine, std::string_view tenant,
                             const TailRequest& request, int64_t start_ns, int64_t end_ns,
                             uint32_t limit) {
  TailFrame frame;
  if (end_ns <= start_ns || limit == 0)
    return frame;
  logql::QueryParams p;
  p.query = request.query;
  p.start_ns = start_ns;
  p.end_ns = end_ns;
  p.limit = limit;
  p.direction = Direction::kBackward;
  SLUICE_ASSIGN_OR_RETURN(logql::QueryResult result, engine.Exec(tenant, p));
  for (logql::ResultStream& s : result.streams) {
    for (logql::ResultEntry& e : s.entries) {
      TailEntry t;
      t.labels = request.categorize_labels ? s.stream_labels : s.labels;
      t.timestamp_ns = e.timestamp_ns;
      t.line = std::move(e.line);
      if (request.categorize_labels) {
        t.structured_metadata = std::move(e.structured_metadata);
        t.parsed = std::move(e.parsed);
      }
      frame.entries.push_back(std::move(t));
    }
  }
  std::stable_sort(
      frame.entries.begin(), frame.entries.end(),
      [](const TailEntry& a, const TailEntry& b) { return a.timestamp_ns < b.timestamp_ns; });
  return frame;
}

namespace {

void WriteLabelObject(const std::vector<Label>& labels, JsonWriter* w) {
  w->BeginObject();
  for (const Label& l : labels) {
    w->Key(l.name);
    w->String(l.value);
  }
  w->EndObject();
}

}  // namespace

std::string RenderTailFrame(const TailFrame& frame, bool categorize_labels) {
  // Group by label set, keeping the order in which sets first appear.
  std::vector<const Labels*> order;
  std::map<Labels, std::vector<const TailEntry*>> groups;
  for (const TailEntry& e : frame.entries) {
    auto [it, inserted] = groups.try_emplace(e.labels);
    if (inserted)
      order.push_back(&it->first);
    it->second.push_back(&e);
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("streams");
  w.BeginArray();
  for (const Labels* labels : order) {
    w.BeginObject();
    w.Key("stream");
    WriteLabelObject(labels->pairs(), &w);
    w.Key("values");
    w.BeginArray();
    for (const TailEntry* e : groups[*labels]) {
      w.BeginArray();
      w.NanosString(e->timestamp_ns);
      w.String(e->line);
      if (categorize_labels) {
        w.BeginObject();
        if (!e->structured_metadata.empty()) {
          w.Key("structuredMetadata");
          WriteLabelObject(e->structured_metadata, &w);
        }
        if (!e->parsed.empty()) {
          w.Key("parsed");
          WriteLabelObject(e->parsed, &w);
        }
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  if (!frame.dropped.empty()) {
    w.Key("dropped_entries");
    w.BeginArray();
    for (const DroppedEntry& d : frame.dropped) {
      w.BeginObject();
      w.Key("labels");
      WriteLabelObject(d.labels.pairs(), &w);
      w.Key("timestamp");
      w.NanosString(d.timestamp_ns);
      w.EndObject();
    }
    w.EndArray();
  }
  if (categorize_labels) {
    w.Key("encodingFlags");
    w.BeginArray();
    w.String("categorize-labels");
    w.EndArray();
  }
  w.EndObject();
  return out;
}

}  // namespace sluice::server
