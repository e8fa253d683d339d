#include "server/storage.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include <spdlog/spdlog.h>

#include "common/file_system.h"

namespace sluice::server {

namespace {

constexpr int64_t kNanosPerDay = int64_t{86400} * 1'000'000'000;
// Counters are persisted at least this often while pushes arrive.
constexpr int64_t kCounterFlushIntervalNs = int64_t{10} * 1'000'000'000;

int64_t MonotonicNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// One stream's entries as the engine sees them, with the labels from the index (authoritative
// and shared by every entry). The line filter is pushed down into the store's decoding.
class StreamEntryIterator final : public EntryIterator {
 public:
  StreamEntryIterator(std::unique_ptr<EntryIterator> input, Labels labels, uint64_t fp)
      : input_(std::move(input)), labels_(std::move(labels)), fp_(fp) {}

  bool Next() override { return input_->Next(); }

  const Entry& At() const override { return input_->At(); }

  const Labels& StreamLabels() const override { return labels_; }

  uint64_t StreamHash() const override { return fp_; }

  Status status() const override { return input_->status(); }

 private:
  std::unique_ptr<EntryIterator> input_;
  Labels labels_;
  uint64_t fp_;
};

Status CheckWritableDir(const std::string& dir) {
  FileSystem* fs = FileSystem::Default();
  Status st = fs->CreateDirs(dir);
  if (!st.ok())
    return IOError("data directory " + dir + " cannot be created: " + st.message());
  std::string probe = JoinPath(dir, ".sluice-write-test");
  auto file = fs->NewWritableFile(probe);
  if (!file.ok()) {
    return IOError("data directory " + dir + " is not writable: " + file.status().message());
  }
  st = (*file)->Append("ok");
  if (st.ok())
    st = (*file)->Sync();
  Status close = (*file)->Close();
  fs->RemoveFile(probe).IgnoreError();
  if (!st.ok())
    return IOError("data directory " + dir + " is not writable: " + st.message());
  if (!close.ok())
    return IOError("data directory " + dir + " is not writable: " + close.message());
  return Status::Ok();
}

// Accumulates consecutive entries of one stream into one AddStream call per counter bucket.
class BucketCounts {
 public:
  BucketCounts(index::Index* ix, std::string_view tenant, uint64_t fp, const Labels& labels)
      : ix_(ix), tenant_(tenant), fp_(fp), labels_(labels), bucket_ns_(ix->counter_bucket_ns()) {}

  ~BucketCounts() { Emit(); }

  void Add(int64_t ts, std::string_view line, std::span<const Label> metadata) {
    int64_t b = FloorDiv(ts, bucket_ns_);
    if (n_ > 0 && b != bucket_)
      Emit();
    if (n_ == 0) {
      bucket_ = b;
      first_ts_ = ts;
    }
    ++n_;
    bytes_ += line.size();
    for (const auto& m : metadata)
      bytes_ += m.name.size() + m.value.size();
  }

 private:
  void Emit() {
    if (n_ == 0)
      return;
    Status st = ix_->AddStream(tenant_, fp_, labels_, first_ts_, n_, bytes_);
    if (!st.ok())
      spdlog::error("index: AddStream {}: {}", labels_.ToString(), st.ToString());
    n_ = bytes_ = 0;
  }

  index::Index* ix_;
  std::string_view tenant_;
  uint64_t fp_;
  const Labels& labels_;
  int64_t bucket_ns_;
  int64_t bucket_ = 0, first_ts_ = 0;
  uint64_t n_ = 0, bytes_ = 0;
};

// Registers (tenant, fp) for the day of each entry, without counting them: one AddStream per
// run of entries on the same day.
void RegisterDays(index::Index* ix, std::string_view tenant, uint64_t fp, const Labels& labels,
                  std::span<const Entry> entries) {
  bool any = false;
  int64_t last_day = 0;
  for (const Entry& e : entries) {
    int64_t day = FloorDiv(e.timestamp_ns, kNanosPerDay);
    if (any && day == last_day)
      continue;
    any = true;
    last_day = day;
    Status st = ix->AddStream(tenant, fp, labels, e.timestamp_ns, 0, 0);
    if (!st.ok())
      spdlog::error("index: registering stream {}: {}", labels.ToString(), st.ToString());
  }
}

}  // namespace

// Counters. The index keeps entry/byte counters (index/stats, index/volume) in memory and
// persists them only through FlushCounters, which stores with them the store's WalPosition,
// taken while no Append is between its WAL write and its counting (CountGate). After a kill -9
// the WAL replay reports every entries record with its position; those above the stored
// watermark were not in the persisted counters and are counted again (OnEntriesReplayed), those
// at or below it are not. WAL segments are deleted only after a FlushCounters
// (OnWalTruncate), so no uncounted entry leaves the WAL.
void Storage::CountGate::LockShared() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !writer_ && writers_waiting_ == 0; });
  ++readers_;
}

void Storage::CountGate::UnlockShared() {
  std::lock_guard lock(mu_);
  if (--readers_ == 0)
    cv_.notify_all();
}

void Storage::CountGate::Lock() {
  std::unique_lock lock(mu_);
  ++writers_waiting_;
  cv_.wait(lock, [this] { return !writer_ && readers_ == 0; });
  --writers_waiting_;
  writer_ = true;
}

void Storage::CountGate::Unlock() {
  std::lock_guard lock(mu_);
  writer_ = false;
  cv_.notify_all();
}

// Wires the store's callbacks to the index. Errors are logged: the store cannot act on them.
//
// Queries (streams, label names and values) are answered from the index alone, so the index
// must hold every (stream, day) the store has an entry for, head data included:
//   - Append registers every counter bucket (so every day) an accepted entry falls in,
//     out-of-order entries included, before the push is acknowledged (CountEntries);
//   - the WAL replay registers the day of every replayed entry (OnEntriesReplayed), counting
//     only records above the counters' watermark;
//   - a flushed chunk registers every day it spans (OnChunkFlushed), also for chunks found at
//     Open that the index did not know.
class Storage::Observer final : public chunks::StoreObserver {
 public:
  void set_index(index::Index* index) { index_ = index; }

  void set_storage(Storage* storage) { storage_ = storage; }

  bool ChunkCounts(chunks::ChunkMeta* meta) override {
    auto refs = index_->Chunks(meta->tenant, meta->fp, meta->from_ns, meta->through_ns + 1);
    if (!refs.ok()) {
      spdlog::warn("index: reading chunk refs: {}", refs.status().ToString());
      return false;
    }
    for (const index::ChunkRef& r : *refs) {
      if (r.key == meta->key) {
        meta->entries = r.entries;
        meta->uncompressed_bytes = r.bytes;
        return true;
      }
    }
    return false;
  }

  void OnEntriesReplayed(std::string_view tenant, uint64_t fp, const Labels& labels,
                         uint64_t wal_position, std::span<const Entry> entries) override {
    if (wal_position <= index_->flushed_watermark()) {
      // Counted before the restart, and persisted: register the entries' days only (a no-op
      // unless a registration was lost, e.g. to a failed index write before a crash).
      RegisterDays(index_, tenant, fp, labels, entries);
      return;
    }
    BucketCounts counts(index_, tenant, fp, labels);
    for (const Entry& e : entries)
      counts.Add(e.timestamp_ns, e.line, e.metadata);
  }

  Status OnWalTruncate() override { return storage_->FlushCounters(); }

  void OnStreamCreated(std::string_view tenant, uint64_t fp, const Labels& labels,
                       int64_t first_ts_ns) override {
    Status st = index_->AddStream(tenant, fp, labels, first_ts_ns, 0, 0);
    if (!st.ok())
      spdlog::error("index: registering stream {}: {}", labels.ToString(), st.ToString());
  }

  void OnChunkFlushed(const chunks::ChunkMeta& meta, const Labels& labels) override {
    // Register every day the chunk covers (idempotent), in case the registrations made at
    // append time were lost in a crash.
    int64_t first_day = FloorDiv(meta.from_ns, kNanosPerDay);
    int64_t last_day = std::min(FloorDiv(meta.through_ns, kNanosPerDay), first_day + 366);
    for (int64_t d = first_day; d <= last_day; ++d) {
      int64_t ts = d == first_day ? meta.from_ns : d * kNanosPerDay;
      Status st = index_->AddStream(meta.tenant, meta.fp, labels, ts, 0, 0);
      if (!st.ok())
        spdlog::error("index: registering stream {}: {}", labels.ToString(), st.ToString());
    }
    index::ChunkRef ref;
    ref.tenant = meta.tenant;
    ref.fp = meta.fp;
    ref.from_ns = meta.from_ns;
    ref.through_ns = meta.through_ns;
    ref.key = meta.key;
    ref.entries = meta.entries;
    ref.bytes = meta.uncompressed_bytes;
    Status st = index_->AddChunk(ref);
    if (!st.ok())
      spdlog::error("index: adding chunk {}: {}", meta.key, st.ToString());
  }

 private:
  index::Index* index_ = nullptr;
  Storage* storage_ = nullptr;
};

Result<std::unique_ptr<Storage>> Storage::Open(StorageOptions options) {
  SLUICE_RETURN_IF_ERROR(CheckWritableDir(options.dir));
  std::unique_ptr<Storage> s(new Storage());
  options.index.path = JoinPath(options.dir, "index");
  options.index.auto_flush = false;  // FlushCounters pairs them with the WAL position
  auto index = index::Index::Open(options.index);
  if (!index.ok())
    return index.status().WithPrefix("opening index " + options.index.path);
  s->index_ = std::move(*index);
  s->observer_ = std::make_unique<Observer>();
  s->observer_->set_index(s->index_.get());
  s->observer_->set_storage(s.get());
  options.store.dir = options.dir;
  options.store.observer = s->observer_.get();
  auto store = chunks::Store::Open(std::move(options.store));
  if (!store.ok())
    return store.status().WithPrefix("opening store in " + options.dir);
  s->store_ = std::move(*store);
  // Persist what the replay counted, with a watermark above every replayed record.
  Status st = s->FlushCounters();
  if (!st.ok())
    return st.WithPrefix("persisting index counters after WAL replay");
  return s;
}

Storage::~Storage() {
  Status st = Close();
  if (!st.ok())
    spdlog::error("storage close: {}", st.ToString());
}

Status Storage::Close() {
  std::lock_guard lock(close_mu_);
  if (closed_ || store_ == nullptr)
    return Status::Ok();
  closed_ = true;
  Status flush = store_->FlushAll();
  Status index = FlushCounters();
  if (!flush.ok())
    return flush.WithPrefix("flushing chunks");
  if (!index.ok())
    return index.WithPrefix("flushing index");
  return Status::Ok();
}

Status Storage::FlushCounters() {
  std::lock_guard flush_lock(counter_flush_mu_);
  last_counter_flush_ns_ = MonotonicNs();
  count_gate_.Lock();
  uint64_t position = store_->WalPosition();
  Status st = index_->Flush(position);
  count_gate_.Unlock();
  return st;
}

Status Storage::Append(std::string_view tenant, const std::vector<ingest::PushStream>& streams,
                       ingest::AppendReport* report) {
  std::vector<chunks::StreamAppend> appends;
  appends.reserve(streams.size());
  for (const auto& s : streams) {
    appends.push_back(chunks::StreamAppend{&s.labels, s.labels.Hash(), s.entries});
  }
  chunks::AppendOutcome outcome;
  store_->WaitForFlushBacklog();  // before the gate: the flush path takes it (OnWalTruncate)
  count_gate_.LockShared();
  Status st = store_->Append(tenant, appends, &outcome);
  if (!st.ok()) {
    count_gate_.UnlockShared();
    return st;
  }

  // Entries the store did not take: too far behind, or duplicates.
  std::vector<std::pair<size_t, size_t>> skipped;
  skipped.reserve(outcome.too_far_behind.size() + outcome.duplicate_entries.size());
  if (report != nullptr) {
    report->accepted_entries = outcome.accepted;
    report->duplicates_dropped = outcome.duplicates;
  }
  for (const auto& r : outcome.too_far_behind) {
    skipped.emplace_back(r.stream_index, r.entry_index);
    if (report != nullptr) {
      report->rejections.push_back(ingest::Rejection{
          r.stream_index, r.entry_index, ingest::RejectReason::kTooFarBehind, r.bound_ns});
    }
  }
  for (const auto& d : outcome.duplicate_entries)
    skipped.emplace_back(d.stream_index, d.entry_index);
  std::sort(skipped.begin(), skipped.end());

  // Index: register the stream for every counter bucket (and so every day) it received
  // entries in, with entry and byte counts (line + structured metadata bytes).
  for (size_t i = 0; i < streams.size(); ++i)
    CountEntries(tenant, appends[i].fp, streams[i].labels, streams[i].entries, skipped, i);
  count_gate_.UnlockShared();

  if (MonotonicNs() - last_counter_flush_ns_.load() >= kCounterFlushIntervalNs) {
    std::unique_lock lock(counter_flush_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      lock.unlock();
      if (Status f = FlushCounters(); !f.ok())
        spdlog::error("index: flushing counters: {}", f.ToString());
    }
  }
  return Status::Ok();
}

void Storage::CountEntries(std::string_view tenant, uint64_t fp, const Labels& labels,
                           std::span<const OwnedEntry> entries,
                           std::span<const std::pair<size_t, size_t>> skip, size_t stream_index) {
  auto next_skip =
      std::lower_bound(skip.begin(), skip.end(), std::make_pair(stream_index, size_t{0}));
  BucketCounts counts(index_.get(), tenant, fp, labels);
  for (size_t j = 0; j < entries.size(); ++j) {
    if (next_skip != skip.end() && *next_skip == std::make_pair(stream_index, j)) {
      ++next_skip;
      continue;
    }
    counts.Add(entries[j].timestamp_ns, entries[j].line, entries[j].metadata);
  }
}

Result<std::vector<Storage::StreamRef>> Storage::MatchingStreams(std::string_view tenant,
                                                                 const Matchers& matchers,
                                                                 int64_t start_ns, int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<index::StreamRecord> records,
                          index_->SelectStreams(tenant, matchers, start_ns, end_ns));
  std::vector<StreamRef> out;
  out.reserve(records.size());
  for (auto& r : records)
    out.push_back(StreamRef{r.fp, std::move(r.labels)});
  return out;
}

Result<std::unique_ptr<EntryIterator>> Storage::SelectLogs(const logql::SelectLogsParams& p) {
  if (p.end_ns <= p.start_ns)
    return NewEmptyEntryIterator();
  SLUICE_ASSIGN_OR_RETURN(std::vector<StreamRef> refs,
                          MatchingStreams(p.tenant, p.matchers, p.start_ns, p.end_ns));
  std::vector<std::unique_ptr<EntryIterator>> inputs;
  inputs.reserve(refs.size());
  // What the filters drop is still counted as scanned (readers report it once per block).
  chunks::LineFilterFn::DroppedSink dropped;
  if (p.dropped != nullptr) {
    dropped = [d = p.dropped](int64_t lines, int64_t bytes) { d->Add(lines, bytes); };
  }
  chunks::LineFilterFn filter;
  if (p.line_filter != nullptr) {
    // The shared_ptrs keep the engine's filter and counter alive for as long as the iterators.
    filter = chunks::LineFilterFn(
        [f = p.line_filter](std::string_view line, const chunks::MetadataView&) {
          return f->Matches(line);
        },
        dropped);
  }
  for (auto& ref : refs) {
    chunks::LineFilterFn stream_filter = filter;
    std::shared_ptr<const logql::LineFilter> bare =
        p.bare_line_filter != nullptr ? p.bare_line_filter->ForStream(ref.labels) : nullptr;
    if (bare != nullptr) {
      // `bare` accepts only what line_filter accepts. A line it rejects is dropped unless the
      // entry's metadata may hold a required label: then only line_filter applies.
      stream_filter = chunks::LineFilterFn(
          [f = p.line_filter, bare = std::move(bare), guard = p.bare_line_filter](
              std::string_view line, const chunks::MetadataView& md) {
            if (bare->Matches(line))
              return true;
            if (!md.AnyName([&](std::string_view n) { return guard->MetadataMatters(n); }))
              return false;
            return f == nullptr || f->Matches(line);
          },
          dropped);
    }
    auto it = store_->NewFilteredStreamIterator(p.tenant, ref.fp, p.start_ns, p.end_ns, p.direction,
                                                std::move(stream_filter));
    inputs.push_back(
        std::make_unique<StreamEntryIterator>(std::move(it), std::move(ref.labels), ref.fp));
  }
  if (inputs.empty())
    return NewEmptyEntryIterator();
  if (inputs.size() == 1)
    return std::move(inputs.front());
  return NewMergingEntryIterator(std::move(inputs), p.direction);
}

Result<std::vector<Labels>> Storage::Series(std::string_view tenant, const Matchers& matchers,
                                            int64_t start_ns, int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<StreamRef> refs,
                          MatchingStreams(tenant, matchers, start_ns, end_ns));
  std::vector<Labels> out;
  out.reserve(refs.size());
  for (auto& r : refs)
    out.push_back(std::move(r.labels));
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> Storage::LabelNames(std::string_view tenant,
                                                     const Matchers& matchers, int64_t start_ns,
                                                     int64_t end_ns) {
  return index_->LabelNames(tenant, start_ns, end_ns, matchers);
}

Result<std::vector<std::string>> Storage::LabelValues(std::string_view tenant,
                                                      std::string_view name,
                                                      const Matchers& matchers, int64_t start_ns,
                                                      int64_t end_ns) {
  return index_->LabelValues(tenant, name, start_ns, end_ns, matchers);
}

}  // namespace sluice::server
