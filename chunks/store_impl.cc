#include "chunks/store_impl.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "chunks/stream_iterator.h"
#include "chunks/wal_record.h"

namespace sluice::chunks {

namespace {

bool SameEntry(const OwnedEntry& a, const OwnedEntry& b) {
  return a.timestamp_ns == b.timestamp_ns && a.line == b.line && a.metadata == b.metadata;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  if (options.dir.empty()) {
    return InvalidArgumentError("chunks: StoreOptions.dir is required");
  }
  if (options.fs == nullptr || options.clock == nullptr) {
    return InvalidArgumentError("chunks: StoreOptions.fs and clock must be set");
  }
  auto store = std::make_unique<StoreImpl>(std::move(options));
  SLUICE_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

StoreImpl::StoreImpl(StoreOptions options) : options_(std::move(options)) {}

StoreImpl::~StoreImpl() {
  {
    std::lock_guard<std::mutex> l(bg_mu_);
    stopping_ = true;
  }
  bg_cv_.notify_all();
  if (background_.joinable()) {
    background_.join();
  }
}

Stream* StoreImpl::FindStream(std::string_view tenant, uint64_t fp) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) {
    return nullptr;
  }
  auto s = t->second.find(fp);
  return s == t->second.end() ? nullptr : s->second.get();
}

Stream* StoreImpl::GetOrCreateStream(std::string_view tenant, uint64_t fp, const Labels& labels,
                                     bool* created) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) {
    t = tenants_.emplace(std::string(tenant), StreamMap{}).first;
  }
  auto& slot = t->second[fp];
  *created = slot == nullptr;
  if (!slot) {
    slot = std::make_unique<Stream>();
    slot->tenant = std::string(tenant);
    slot->fp = fp;
    slot->labels = std::make_shared<const Labels>(labels);
  }
  return slot.get();
}

Status StoreImpl::Append(std::string_view tenant, std::span<const StreamAppend> streams,
                         AppendOutcome* outcome) {
  // After a WAL failure nothing can be made durable: refuse before touching the heads.
  SLUICE_RETURN_IF_ERROR(wal_->status());
  AppendOutcome scratch;
  if (outcome == nullptr) {
    outcome = &scratch;
  }

  struct Plan {
    Stream* stream;
    uint64_t first_seq;
    std::vector<uint32_t> accepted;
    bool created;
  };

  std::vector<Plan> plans;
  plans.reserve(streams.size());
  bool want_flush = false;
  int64_t now = options_.clock->MonotonicNanos();
  {
    std::lock_guard<std::mutex> l(mu_);
    for (size_t i = 0; i < streams.size(); ++i) {
      const StreamAppend& sa = streams[i];
      if (sa.labels == nullptr) {
        return InvalidArgumentError("chunks: StreamAppend without labels");
      }
      Plan p{nullptr, 0, {}, false};
      p.stream = GetOrCreateStream(tenant, sa.fp, *sa.labels, &p.created);
      Stream* s = p.stream;
      p.first_seq = s->next_seq;
      const OwnedEntry* last = s->has_last ? &s->last : nullptr;
      for (size_t j = 0; j < sa.entries.size(); ++j) {
        const OwnedEntry& e = sa.entries[j];
        if (s->has_newest && e.timestamp_ns < s->newest_ts - options_.out_of_order_window_ns) {
          outcome->too_far_behind.push_back({i, j, s->newest_ts - options_.out_of_order_window_ns});
          continue;
        }
        if (last != nullptr && SameEntry(*last, e)) {
          ++outcome->duplicates;
          outcome->duplicate_entries.push_back({i, j});
          continue;
        }
        if (s->head.empty()) {
          s->head_min_segment = wal_->current_segment();
          s->head_first_seq = s->next_seq;
          s->head_created_ns = now;
        }
        s->head.Append(e.view());
        s->head_last_seq = s->next_seq++;
        s->newest_ts = s->has_newest ? std::max(s->newest_ts, e.timestamp_ns) : e.timestamp_ns;
        s->has_newest = true;
        last = &e;
        p.accepted.push_back(static_cast<uint32_t>(j));
        if (s->head.bytes() >= options_.target_chunk_bytes) {
          CutHead(s);
          want_flush = true;
        }
      }
      if (!p.accepted.empty()) {
        s->last_append_ns = now;
        if (last != &s->last) {
          s->last = *last;
        }
        s->has_last = true;
        outcome->accepted += static_cast<int64_t>(p.accepted.size());
      }
      plans.push_back(std::move(p));
    }
  }

  wal::EntriesRecordBuilder builder;
  builder.Reset(tenant);
  for (size_t i = 0; i < plans.size(); ++i) {
    const Plan& p = plans[i];
    if (p.accepted.empty()) {
      continue;
    }
    builder.BeginStream(p.stream->fp, p.first_seq, static_cast<uint32_t>(p.accepted.size()));
    for (uint32_t j : p.accepted) {
      builder.AddEntry(streams[i].entries[j].view());
    }
  }
  if (!builder.empty()) {
    std::string payload;
    SLUICE_RETURN_IF_ERROR(builder.Finish(options_.wal_compression_level, &payload));
    std::string series;
    uint64_t lsn = wal_->Append([&](uint64_t segment, const wal::WalWriter::AddFn& add) {
      for (const Plan& p : plans) {
        if (p.accepted.empty() || p.stream->series_segment == segment) {
          continue;
        }
        series.clear();
        wal::EncodeSeries(tenant, p.stream->fp, *p.stream->labels, &series);
        add(series);
        p.stream->series_segment = segment;
      }
      add(payload);
    });
    SLUICE_RETURN_IF_ERROR(wal_->Sync(lsn));
    // A new segment may let old ones go once pinning heads are cut: wake the flusher.
    uint64_t segment = wal_->current_segment();
    if (last_segment_seen_.exchange(segment) != segment) {
      want_flush = true;
    }
  }

  if (want_flush) {
    {
      std::lock_guard<std::mutex> l(bg_mu_);
      flush_wanted_ = true;
    }
    bg_cv_.notify_all();
  }
  if (options_.observer != nullptr) {
    for (size_t i = 0; i < plans.size(); ++i) {
      const Plan& p = plans[i];
      if (!p.created || p.accepted.empty()) {
        continue;
      }
      options_.observer->OnStreamCreated(tenant, p.stream->fp, *p.stream->labels,
                                         streams[i].entries[p.accepted[0]].timestamp_ns);
    }
  }
  return Status::Ok();
}

std::unique_ptr<EntryIterator> Store::NewFilteredStreamIterator(std::string_view tenant,
                                                                uint64_t fp, int64_t start_ns,
                                                                int64_t end_ns, Direction direction,
                                                                LineFilterFn filter) {
  return NewLineFilterIterator(NewStreamIterator(tenant, fp, start_ns, end_ns, direction),
                               std::move(filter));
}

std::unique_ptr<EntryIterator> StoreImpl::NewStreamIterator(std::string_view tenant, uint64_t fp,
                                                            int64_t start_ns, int64_t end_ns,
                                                            Direction direction) {
  return NewFilteredStreamIterator(tenant, fp, start_ns, end_ns, direction, {});
}

std::unique_ptr<EntryIterator> StoreImpl::NewFilteredStreamIterator(std::string_view tenant,
                                                                    uint64_t fp, int64_t start_ns,
                                                                    int64_t end_ns,
                                                                    Direction direction,
                                                                    LineFilterFn filter) {
  std::vector<IteratorSource> sources;
  if (start_ns >= end_ns) {
    return NewEmptyEntryIterator();
  }
  std::lock_guard<std::mutex> l(mu_);
  Stream* s = FindStream(tenant, fp);
  if (s == nullptr) {
    return NewEmptyEntryIterator();
  }
  auto add_head = [&](const HeadBlock& head) {
    if (head.empty() || head.max_ts() < start_ns || head.min_ts() >= end_ns) {
      return;
    }
    // Snapshot now, under the lock: the head keeps changing.
    sources.push_back(IteratorSource{
        head.min_ts(), head.max_ts(),
        head.NewIterator(s->labels, s->fp, start_ns, end_ns, direction, filter), nullptr});
  };
  add_head(s->head);
  for (const auto& f : s->flushing) {
    add_head(*f->head);
  }
  for (const ChunkRef& c : s->chunks) {
    if (c.through_ns < start_ns || c.from_ns >= end_ns) {
      continue;
    }
    ObjectStore* store = object_store_;
    std::string key = c.key;
    sources.push_back(IteratorSource{c.from_ns, c.through_ns, nullptr, [=]() {
                                       return NewLazyChunkIterator(store, key, start_ns, end_ns,
                                                                   direction, filter);
                                     }});
  }
  return NewSourcesIterator(std::move(sources), direction);
}

std::vector<StreamInfo> StoreImpl::ListStreams(std::string_view tenant, int64_t start_ns,
                                               int64_t end_ns) {
  std::vector<StreamInfo> out;
  std::lock_guard<std::mutex> l(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) {
    return out;
  }
  for (const auto& [fp, s] : t->second) {
    StreamInfo info;
    bool any = false, overlaps = false;
    auto cover = [&](int64_t lo, int64_t hi, uint64_t entries, uint64_t bytes) {
      info.min_ts_ns = any ? std::min(info.min_ts_ns, lo) : lo;
      info.max_ts_ns = any ? std::max(info.max_ts_ns, hi) : hi;
      any = true;
      overlaps = overlaps || (hi >= start_ns && lo < end_ns);
      info.entries += entries;
      info.bytes += bytes;
    };
    if (!s->head.empty()) {
      cover(s->head.min_ts(), s->head.max_ts(), s->head.entries(), s->head.bytes());
    }
    for (const auto& f : s->flushing) {
      cover(f->head->min_ts(), f->head->max_ts(), f->head->entries(), f->head->bytes());
    }
    for (const ChunkRef& c : s->chunks) {
      cover(c.from_ns, c.through_ns, c.entries, c.bytes);
    }
    if (!overlaps) {
      continue;
    }
    info.fp = fp;
    info.labels = *s->labels;
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::string> StoreImpl::Tenants() {
  std::vector<std::string> out;
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& [name, streams] : tenants_) {
    if (!streams.empty()) {
      out.push_back(name);
    }
  }
  return out;
}

void StoreImpl::WaitForFlushBacklog(int64_t max_wait_ns) {
  if (options_.max_flush_backlog_bytes == 0) {
    return;
  }
  std::unique_lock<std::mutex> l(mu_);
  backlog_cv_.wait_for(l, std::chrono::nanoseconds(max_wait_ns),
                       [this] { return flush_backlog_bytes_ <= options_.max_flush_backlog_bytes; });
}

uint64_t StoreImpl::WalPosition() {
  return wal_->position();
}

Store::Stats StoreImpl::GetStats() {
  Stats st;
  wal::WalWriter::Stats ws = wal_->GetStats();
  st.wal_segments = ws.segments;
  st.wal_bytes = ws.bytes;
  st.wal_syncs = ws.syncs;
  st.wal_records = ws.records;
  std::lock_guard<std::mutex> l(mu_);
  st.tenants = tenants_.size();
  for (const auto& [name, streams] : tenants_) {
    st.streams += streams.size();
    for (const auto& [fp, s] : streams) {
      st.head_entries += s->head.entries();
      st.head_bytes += s->head.bytes();
      for (const auto& f : s->flushing) {
        st.head_entries += f->head->entries();
        st.head_bytes += f->head->bytes();
      }
    }
  }
  st.chunks_flushed = chunks_flushed_;
  st.chunk_bytes_flushed = chunk_bytes_flushed_;
  st.chunks_known = chunks_known_;
  st.wal_replayed_entries = replayed_entries_;
  st.wal_corruptions = wal_corruptions_;
  return st;
}

void StoreImpl::BackgroundLoop() {
  std::unique_lock<std::mutex> l(bg_mu_);
  while (!stopping_) {
    bg_cv_.wait_for(l, std::chrono::nanoseconds(options_.flush_check_interval_ns),
                    [this] { return stopping_ || flush_wanted_; });
    if (stopping_) {
      break;
    }
    flush_wanted_ = false;
    l.unlock();
    if (Status st = FlushIdle(); !st.ok()) {
      spdlog::error("chunks: flush failed: {}", st.ToString());
    }
    l.lock();
  }
}

}  // namespace sluice::chunks
