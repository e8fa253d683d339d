#include "index/index.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include "common/clock.h"
#include "index/index_impl.h"
#include "index/key_format.h"
#include "index/leveldb_util.h"

namespace sluice::index {

namespace {

// Reads a decimal metadata value; `*found` false when the key is absent.
Status ReadNumber(leveldb::DB* db, std::string_view key, int64_t* out, bool* found) {
  std::string v;
  leveldb::Status s = db->Get(leveldb::ReadOptions(), leveldb::Slice(key.data(), key.size()), &v);
  *found = s.ok();
  if (s.IsNotFound()) {
    return Status::Ok();
  }
  SLUICE_RETURN_IF_ERROR(FromLevelDb(s, "read metadata"));
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
  if (ec != std::errc() || ptr != v.data() + v.size()) {
    return CorruptionError("index: bad metadata value \"" + v + "\" for " +
                           std::string(key.substr(1)));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Index::Impl>> Index::Impl::Open(IndexOptions options) {
  if (options.path.empty()) {
    return InvalidArgumentError("index: options.path is empty");
  }
  if (options.counter_bucket_ns <= 0 || keys::kNanosPerDay % options.counter_bucket_ns != 0) {
    return InvalidArgumentError("index: counter_bucket_ns must be positive and divide a day");
  }
  if (options.clock == nullptr) {
    options.clock = Clock::Default();
  }
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return IOError("index: cannot create " + options.path + ": " + ec.message());
  }

  std::unique_ptr<Impl> impl(new Impl());
  impl->options_ = options;
  impl->filter_policy_.reset(leveldb::NewBloomFilterPolicy(10));
  impl->block_cache_.reset(leveldb::NewLRUCache(options.block_cache_bytes));
  leveldb::Options lo;
  lo.create_if_missing = true;
  lo.filter_policy = impl->filter_policy_.get();
  lo.block_cache = impl->block_cache_.get();
  lo.write_buffer_size = options.write_buffer_bytes;
  leveldb::DB* raw = nullptr;
  SLUICE_RETURN_IF_ERROR(
      FromLevelDb(leveldb::DB::Open(lo, options.path, &raw), "open " + options.path));
  impl->db_.reset(raw);
  leveldb::DB* db = impl->db_.get();

  int64_t version = 0;
  bool found = false;
  SLUICE_RETURN_IF_ERROR(ReadNumber(db, keys::kVersionKey, &version, &found));
  if (!found) {
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
    it->SeekToFirst();
    if (it->Valid()) {
      return CorruptionError("index: " + options.path + " holds a database without a version key");
    }
    leveldb::WriteBatch batch;
    batch.Put(ToSlice(keys::kVersionKey), std::to_string(keys::kFormatVersion));
    batch.Put(ToSlice(keys::kBucketKey), std::to_string(options.counter_bucket_ns));
    leveldb::WriteOptions wo;
    wo.sync = true;
    SLUICE_RETURN_IF_ERROR(FromLevelDb(db->Write(wo, &batch), "initialise"));
    version = keys::kFormatVersion;
  }
  if (version != keys::kFormatVersion) {
    return FailedPreconditionError("index: format version " + std::to_string(version) +
                                   " is not supported (this build reads version " +
                                   std::to_string(keys::kFormatVersion) + ")");
  }
  int64_t bucket = 0;
  SLUICE_RETURN_IF_ERROR(ReadNumber(db, keys::kBucketKey, &bucket, &found));
  if (!found || bucket <= 0 || keys::kNanosPerDay % bucket != 0) {
    return CorruptionError("index: missing or bad counter bucket width");
  }
  impl->bucket_ns_ = bucket;
  int64_t n = 0;
  SLUICE_RETURN_IF_ERROR(ReadNumber(db, keys::kWatermarkKey, &n, &found));
  impl->watermark_ = found ? static_cast<uint64_t>(n) : 0;
  SLUICE_RETURN_IF_ERROR(ReadNumber(db, keys::kMaxChunkSpanKey, &n, &found));
  impl->max_chunk_span_ = found ? n : 0;
  impl->last_flush_ns_ = options.clock->MonotonicNanos();
  return impl;
}

Index::Impl::~Impl() {
  if (options_.flush_on_close && db_ != nullptr) {
    FlushCounters(true, nullptr).IgnoreError();
  }
}

Status Index::Impl::AddStream(std::string_view tenant, uint64_t fp, const Labels& labels,
                              int64_t ts_ns, uint64_t entries, uint64_t bytes) {
  const int64_t day = keys::DayOf(ts_ns);
  std::string day_key = keys::TenantPrefix(keys::kDayStream, tenant);
  keys::AppendInt64(&day_key, day);
  keys::AppendUint64(&day_key, fp);
  Shard& shard = shards_[fp % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    if (!shard.registered.contains(day_key)) {
      SLUICE_RETURN_IF_ERROR(Register(shard, day_key, tenant, fp, labels, day));
    }
    if (entries != 0 || bytes != 0) {
      std::string counter_key = keys::TenantPrefix(keys::kCounter, tenant);
      keys::AppendInt64(&counter_key, day);
      keys::AppendUint64(&counter_key, fp);
      const auto slot = static_cast<uint32_t>((ts_ns - day * keys::kNanosPerDay) / bucket_ns_);
      SLUICE_RETURN_IF_ERROR(AddCounts(shard, counter_key, slot, entries, bytes));
    }
  }
  MaybeAutoFlush();
  return Status::Ok();
}

// REQUIRES: shard.mu held (so one thread registers a given day key at a time).
Status Index::Impl::Register(Shard& shard, const std::string& day_key, std::string_view tenant,
                             uint64_t fp, const Labels& labels, int64_t day) {
  if (shard.registered.size() >= options_.max_cached_streams) {
    shard.registered.clear();
  }
  std::string ignored;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), day_key, &ignored);
  if (!s.ok() && !s.IsNotFound()) {
    return FromLevelDb(s, "read stream registration");
  }
  if (s.IsNotFound()) {
    leveldb::WriteBatch batch;
    std::string stream_key = keys::TenantPrefix(keys::kStream, tenant);
    keys::AppendUint64(&stream_key, fp);
    batch.Put(stream_key, keys::EncodeLabels(labels));
    batch.Put(day_key, leveldb::Slice());
    // N and V keys are shared by every stream with that name / value on the day: written
    // only when absent, so that a day's keys do not pile up one version per stream (a name
    // scan would step over every hidden version until a compaction drops them).
    auto put_if_absent = [&](const std::string& key) -> Status {
      std::string v;
      leveldb::Status got = db_->Get(leveldb::ReadOptions(), key, &v);
      if (got.IsNotFound()) {
        batch.Put(key, leveldb::Slice());
        return Status::Ok();
      }
      return FromLevelDb(got, "read label key");
    };
    for (const auto& l : labels) {
      std::string k = keys::TenantPrefix(keys::kDayName, tenant);
      keys::AppendInt64(&k, day);
      keys::AppendString(&k, l.name);
      SLUICE_RETURN_IF_ERROR(put_if_absent(k));
      k[0] = keys::kDayValue;
      keys::AppendString(&k, l.value);
      SLUICE_RETURN_IF_ERROR(put_if_absent(k));
      k[0] = keys::kPosting;
      keys::AppendUint64(&k, fp);
      batch.Put(k, leveldb::Slice());
    }
    // sync=false: the WAL replays these entries after a crash; AddChunk's sync write makes
    // them durable before the WAL drops the data.
    SLUICE_RETURN_IF_ERROR(
        FromLevelDb(db_->Write(leveldb::WriteOptions(), &batch), "register stream"));
    std::string stream_cache_key = keys::TenantPrefix(keys::kStream, tenant);
    keys::AppendUint64(&stream_cache_key, fp);
    CacheLabels(stream_cache_key, labels);
  }
  shard.registered.insert(day_key);
  return Status::Ok();
}

// REQUIRES: shard.mu held.
Status Index::Impl::AddCounts(Shard& shard, const std::string& counter_key, uint32_t slot,
                              uint64_t entries, uint64_t bytes) {
  auto it = shard.counters.find(counter_key);
  if (it == shard.counters.end()) {
    Counter c;
    std::string v;
    leveldb::Status s = db_->Get(leveldb::ReadOptions(), counter_key, &v);
    if (!s.ok() && !s.IsNotFound()) {
      return FromLevelDb(s, "read counter");
    }
    if (s.ok() && !keys::DecodeSlots(v, &c.slots)) {
      return CorruptionError("index: bad counter value");
    }
    it = shard.counters.emplace(counter_key, c).first;
  }
  Counter& c = it->second;
  if (!c.queued) {
    c.queued = true;
    shard.dirty_keys.push_back(counter_key);
    dirty_.fetch_add(1);
  }
  auto pos = std::lower_bound(c.slots.begin(), c.slots.end(), slot,
                              [](const keys::SlotCounts& a, uint32_t b) { return a.slot < b; });
  if (pos == c.slots.end() || pos->slot != slot) {
    pos = c.slots.insert(pos, keys::SlotCounts{slot, 0, 0});
  }
  pos->entries += entries;
  pos->bytes += bytes;
  ++c.version;
  c.touched = sweep_gen_.load();
  return Status::Ok();
}

Index::Impl::PendingCounters Index::Impl::Pending(std::string_view tenant, const Postings& fps) {
  const std::string prefix = keys::TenantPrefix(keys::kCounter, tenant);
  PendingCounters out;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (const std::string& key : shard.dirty_keys) {
      if (key.compare(0, prefix.size(), prefix) != 0) {
        continue;
      }
      std::string_view fp_bytes = std::string_view(key).substr(key.size() - 8);  // C t day fp
      uint64_t fp = 0;
      if (!keys::ConsumeUint64(&fp_bytes, &fp) || !std::binary_search(fps.begin(), fps.end(), fp)) {
        continue;
      }
      out.emplace(key, shard.counters.at(key).slots);
    }
  }
  return out;
}

std::unique_ptr<leveldb::Iterator> Index::Impl::SnapshotCounters(std::string_view tenant,
                                                                 const Postings& fps,
                                                                 PendingCounters* pending) {
  std::lock_guard<std::mutex> lock(flush_mu_);
  *pending = Pending(tenant, fps);
  return std::unique_ptr<leveldb::Iterator>(db_->NewIterator(leveldb::ReadOptions()));
}

void Index::Impl::MaybeAutoFlush() {
  size_t dirty = dirty_.load();
  if (dirty == 0 || !options_.auto_flush) {
    return;
  }
  bool due = dirty >= options_.max_dirty_counters ||
             options_.clock->MonotonicNanos() - last_flush_ns_.load() >= options_.flush_interval_ns;
  if (!due) {
    return;
  }
  std::unique_lock<std::mutex> lock(flush_mu_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return;  // another thread is flushing
  }
  // A failed background flush leaves the counters dirty; the next flush retries them.
  FlushLocked(false, nullptr).IgnoreError();
}

Status Index::Impl::FlushCounters(bool sync, const uint64_t* watermark) {
  std::lock_guard<std::mutex> lock(flush_mu_);
  return FlushLocked(sync, watermark);
}

// REQUIRES: flush_mu_ held. Visits only the queued (dirty) counters; a counter changed while
// its write is in flight stays queued for the next flush.
Status Index::Impl::FlushLocked(bool sync, const uint64_t* watermark) {
  struct Written {
    size_t shard;
    std::string key;
    uint64_t version;
  };

  std::vector<Written> written;
  leveldb::WriteBatch batch;
  for (size_t i = 0; i < kShards; ++i) {
    Shard& shard = shards_[i];
    std::lock_guard<std::mutex> lock(shard.mu);
    for (std::string& key : shard.dirty_keys) {
      const Counter& c = shard.counters.at(key);
      batch.Put(key, keys::EncodeSlots(c.slots));
      written.push_back(Written{i, std::move(key), c.version});
    }
    shard.dirty_keys.clear();
  }
  if (watermark != nullptr) {
    batch.Put(ToSlice(keys::kWatermarkKey), std::to_string(*watermark));
  }
  Status status;
  if (!written.empty() || watermark != nullptr) {
    leveldb::WriteOptions wo;
    wo.sync = sync;
    status = FromLevelDb(db_->Write(wo, &batch), "flush counters");
  }
  for (Written& w : written) {
    Shard& shard = shards_[w.shard];
    std::lock_guard<std::mutex> lock(shard.mu);
    Counter& c = shard.counters.at(w.key);
    if (status.ok()) {
      c.flushed = std::max(c.flushed, w.version);
    }
    if (c.version == c.flushed) {
      c.queued = false;
      dirty_.fetch_sub(1);
    } else {
      shard.dirty_keys.push_back(std::move(w.key));  // changed meanwhile, or the write failed
    }
  }
  SLUICE_RETURN_IF_ERROR(status);
  if (watermark != nullptr) {
    watermark_ = *watermark;
  }
  const int64_t now = options_.clock->MonotonicNanos();
  last_flush_ns_ = now;
  if (now - last_sweep_ns_ >= options_.flush_interval_ns) {
    SweepIdleCounters();
    last_sweep_ns_ = now;
  }
  return Status::Ok();
}

// REQUIRES: flush_mu_ held. Forgets clean counters untouched since the previous sweep (they are
// reloaded from LevelDB if they change again), bounding memory to the recently active ones.
void Index::Impl::SweepIdleCounters() {
  const uint64_t gen = sweep_gen_.load();
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    std::erase_if(shard.counters, [gen](const auto& kv) {
      return !kv.second.queued && kv.second.touched + 1 < gen;
    });
  }
  sweep_gen_.fetch_add(1);
}

Status Index::Impl::AddChunk(const ChunkRef& ref) {
  if (ref.through_ns < ref.from_ns) {
    return InvalidArgumentError("index: chunk " + ref.key + " ends before it starts");
  }
  std::string key = keys::TenantPrefix(keys::kChunk, ref.tenant);
  keys::AppendUint64(&key, ref.fp);
  keys::AppendInt64(&key, ref.through_ns);
  keys::AppendInt64(&key, ref.from_ns);
  keys::AppendString(&key, ref.key);
  leveldb::WriteBatch batch;
  batch.Put(key, keys::EncodeCounts(ref.entries, ref.bytes));
  // Saturates rather than overflowing for absurd ranges.
  const int64_t span =
      (ref.from_ns < 0 && ref.through_ns > std::numeric_limits<int64_t>::max() + ref.from_ns)
          ? std::numeric_limits<int64_t>::max()
          : ref.through_ns - ref.from_ns;
  std::lock_guard<std::mutex> lock(chunk_mu_);
  const bool wider = span > max_chunk_span_.load();
  if (wider) {
    batch.Put(ToSlice(keys::kMaxChunkSpanKey), std::to_string(span));
  }
  leveldb::WriteOptions wo;
  wo.sync = true;  // the WAL drops the chunk's entries once this returns
  SLUICE_RETURN_IF_ERROR(FromLevelDb(db_->Write(wo, &batch), "add chunk"));
  if (wider) {
    max_chunk_span_ = span;
  }
  return Status::Ok();
}

Result<std::vector<ChunkRef>> Index::Impl::Chunks(std::string_view tenant, uint64_t fp,
                                                  int64_t start_ns, int64_t end_ns) {
  std::vector<ChunkRef> out;
  if (end_ns <= start_ns) {
    return out;
  }
  std::string prefix = keys::TenantPrefix(keys::kChunk, tenant);
  keys::AppendUint64(&prefix, fp);
  std::string seek = prefix;
  keys::AppendInt64(&seek, start_ns);
  const int64_t span = max_chunk_span_.load();
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(seek); InPrefix(it.get(), prefix); it->Next()) {
    std::string_view rest = KeyRest(it->key(), prefix.size());
    ChunkRef ref;
    ref.tenant = std::string(tenant);
    ref.fp = fp;
    uint64_t entries = 0;
    if (!keys::ConsumeInt64(&rest, &ref.through_ns) || !keys::ConsumeInt64(&rest, &ref.from_ns) ||
        !keys::ConsumeString(&rest, &ref.key) ||
        !keys::DecodeCounts(ToView(it->value()), &entries, &ref.bytes)) {
      return CorruptionError("index: bad chunk reference");
    }
    // Every later chunk starts at or after through - span >= end: none can overlap.
    if (ref.through_ns - span >= end_ns) {
      break;
    }
    if (ref.from_ns >= end_ns) {
      continue;
    }
    ref.entries = static_cast<uint32_t>(entries);
    out.push_back(std::move(ref));
  }
  SLUICE_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan chunks"));
  return out;
}

Result<Labels> Index::Impl::GetLabels(std::string_view tenant, uint64_t fp) {
  std::string key = keys::TenantPrefix(keys::kStream, tenant);
  keys::AppendUint64(&key, fp);
  {
    std::shared_lock<std::shared_mutex> lock(labels_mu_);
    auto it = labels_.find(key);
    if (it != labels_.end()) {
      return it->second;
    }
  }
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), key, &v);
  if (s.IsNotFound()) {
    return NotFoundError("index: unknown stream");
  }
  SLUICE_RETURN_IF_ERROR(FromLevelDb(s, "read stream"));
  SLUICE_ASSIGN_OR_RETURN(Labels labels, keys::DecodeLabels(v));
  CacheLabels(key, labels);
  return labels;
}

void Index::Impl::CacheLabels(const std::string& stream_key, const Labels& labels) {
  std::unique_lock<std::shared_mutex> lock(labels_mu_);
  if (labels_.size() >= options_.max_cached_streams) {
    labels_.clear();
  }
  labels_.emplace(stream_key, labels);
}

// ---- Index: forwards to Impl ----

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Index::~Index() = default;

Result<std::unique_ptr<Index>> Index::Open(IndexOptions options) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, Impl::Open(std::move(options)));
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

Status Index::AddStream(std::string_view tenant, uint64_t fp, const Labels& labels, int64_t ts_ns,
                        uint64_t entries, uint64_t bytes) {
  return impl_->AddStream(tenant, fp, labels, ts_ns, entries, bytes);
}

Status Index::AddChunk(const ChunkRef& ref) {
  return impl_->AddChunk(ref);
}

Result<std::vector<ChunkRef>> Index::Chunks(std::string_view tenant, uint64_t fp, int64_t start_ns,
                                            int64_t end_ns) {
  return impl_->Chunks(tenant, fp, start_ns, end_ns);
}

Status Index::Flush(uint64_t watermark) {
  return impl_->FlushCounters(true, &watermark);
}

uint64_t Index::flushed_watermark() const {
  return impl_->flushed_watermark();
}

int64_t Index::counter_bucket_ns() const {
  return impl_->bucket_ns();
}

}  // namespace sluice::index
