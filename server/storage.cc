#include "server/storage.h"

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "common/file_system.h"

namespace sluice::server {

namespace {

constexpr int64_t kNanosPerDay = int64_t{86400} * 1'000'000'000;

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

}  // namespace

bool MatchesAll(const Matchers& matchers, const Labels& labels) {
  for (const auto& m : matchers) {
    if (!m.Matches(labels.Get(m.name())))
      return false;
  }
  return true;
}

// Wires the store's callbacks to the index. Errors are logged: the store cannot act on them,
// and queries also consult the heads and the store's own chunk list.
class Storage::Observer final : public chunks::StoreObserver {
 public:
  void set_index(index::Index* index) { index_ = index; }

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
};

Result<std::unique_ptr<Storage>> Storage::Open(StorageOptions options) {
  SLUICE_RETURN_IF_ERROR(CheckWritableDir(options.dir));
  std::unique_ptr<Storage> s(new Storage());
  options.index.path = JoinPath(options.dir, "index");
  auto index = index::Index::Open(options.index);
  if (!index.ok())
    return index.status().WithPrefix("opening index " + options.index.path);
  s->index_ = std::move(*index);
  s->observer_ = std::make_unique<Observer>();
  s->observer_->set_index(s->index_.get());
  options.store.dir = options.dir;
  options.store.observer = s->observer_.get();
  auto store = chunks::Store::Open(std::move(options.store));
  if (!store.ok())
    return store.status().WithPrefix("opening store in " + options.dir);
  s->store_ = std::move(*store);
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
  Status index = index_->Flush();
  if (!flush.ok())
    return flush.WithPrefix("flushing chunks");
  if (!index.ok())
    return index.WithPrefix("flushing index");
  return Status::Ok();
}

Status Storage::Append(std::string_view tenant, const std::vector<ingest::PushStream>& streams,
                       ingest::AppendReport* report) {
  std::vector<chunks::StreamAppend> appends;
  appends.reserve(streams.size());
  for (const auto& s : streams) {
    appends.push_back(chunks::StreamAppend{&s.labels, s.labels.Hash(), s.entries});
  }
  chunks::AppendOutcome outcome;
  SLUICE_RETURN_IF_ERROR(store_->Append(tenant, appends, &outcome));

  std::vector<std::pair<size_t, size_t>> rejected;
  rejected.reserve(outcome.too_far_behind.size());
  if (report != nullptr) {
    report->accepted_entries = outcome.accepted;
    report->duplicates_dropped = outcome.duplicates;
  }
  for (const auto& r : outcome.too_far_behind) {
    rejected.emplace_back(r.stream_index, r.entry_index);
    if (report != nullptr) {
      report->rejections.push_back(ingest::Rejection{
          r.stream_index, r.entry_index, ingest::RejectReason::kTooFarBehind, r.bound_ns});
    }
  }
  std::sort(rejected.begin(), rejected.end());

  // Index: register the stream for every counter bucket (and so every day) it received
  // entries in, with entry and byte counts (line + structured metadata bytes).
  const int64_t bucket = index_->counter_bucket_ns();
  size_t next_rejected = 0;
  for (size_t i = 0; i < streams.size(); ++i) {
    const auto& s = streams[i];
    int64_t cur_bucket = 0, first_ts = 0;
    uint64_t n = 0, bytes = 0;
    auto emit = [&] {
      if (n == 0)
        return;
      Status st = index_->AddStream(tenant, appends[i].fp, s.labels, first_ts, n, bytes);
      if (!st.ok())
        spdlog::error("index: AddStream {}: {}", s.labels.ToString(), st.ToString());
    };
    for (size_t j = 0; j < s.entries.size(); ++j) {
      if (next_rejected < rejected.size() && rejected[next_rejected] == std::make_pair(i, j)) {
        ++next_rejected;
        continue;
      }
      const OwnedEntry& e = s.entries[j];
      int64_t b = FloorDiv(e.timestamp_ns, bucket);
      if (n > 0 && b != cur_bucket) {
        emit();
        n = bytes = 0;
      }
      if (n == 0) {
        cur_bucket = b;
        first_ts = e.timestamp_ns;
      }
      ++n;
      bytes += e.line.size();
      for (const auto& m : e.metadata)
        bytes += m.name.size() + m.value.size();
    }
    emit();
  }
  return Status::Ok();
}

Result<std::vector<Storage::StreamRef>> Storage::MatchingStreams(std::string_view tenant,
                                                                 const Matchers& matchers,
                                                                 int64_t start_ns, int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<index::StreamRecord> records,
                          index_->SelectStreams(tenant, matchers, start_ns, end_ns));
  std::vector<StreamRef> out;
  out.reserve(records.size());
  std::unordered_set<uint64_t> seen;
  for (auto& r : records) {
    seen.insert(r.fp);
    out.push_back(StreamRef{r.fp, std::move(r.labels)});
  }
  for (auto& info : store_->ListStreams(tenant, start_ns, end_ns)) {
    if (seen.count(info.fp) != 0 || !MatchesAll(matchers, info.labels))
      continue;
    seen.insert(info.fp);
    out.push_back(StreamRef{info.fp, std::move(info.labels)});
  }
  return out;
}

Result<std::unique_ptr<EntryIterator>> Storage::SelectLogs(const logql::SelectLogsParams& p) {
  if (p.end_ns <= p.start_ns)
    return NewEmptyEntryIterator();
  SLUICE_ASSIGN_OR_RETURN(std::vector<StreamRef> refs,
                          MatchingStreams(p.tenant, p.matchers, p.start_ns, p.end_ns));
  std::vector<std::unique_ptr<EntryIterator>> inputs;
  inputs.reserve(refs.size());
  chunks::LineFilterFn filter;
  if (p.line_filter != nullptr) {
    // The shared_ptr keeps the engine's filter alive for as long as the iterators.
    filter = [f = p.line_filter](std::string_view line) { return f->Matches(line); };
  }
  for (auto& ref : refs) {
    auto it = store_->NewFilteredStreamIterator(p.tenant, ref.fp, p.start_ns, p.end_ns, p.direction,
                                                filter);
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
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          index_->LabelNames(tenant, start_ns, end_ns, matchers));
  std::set<std::string> all(names.begin(), names.end());
  for (const auto& info : store_->ListStreams(tenant, start_ns, end_ns)) {
    if (!MatchesAll(matchers, info.labels))
      continue;
    for (const auto& l : info.labels)
      all.insert(l.name);
  }
  return std::vector<std::string>(all.begin(), all.end());
}

Result<std::vector<std::string>> Storage::LabelValues(std::string_view tenant,
                                                      std::string_view name,
                                                      const Matchers& matchers, int64_t start_ns,
                                                      int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> values,
                          index_->LabelValues(tenant, name, start_ns, end_ns, matchers));
  std::set<std::string> all(values.begin(), values.end());
  for (const auto& info : store_->ListStreams(tenant, start_ns, end_ns)) {
    if (!MatchesAll(matchers, info.labels))
      continue;
    std::string_view v = info.labels.Get(name);
    if (!v.empty())
      all.emplace(v);
  }
  return std::vector<std::string>(all.begin(), all.end());
}

}  // namespace sluice::server
