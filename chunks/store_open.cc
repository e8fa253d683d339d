// Store::Open's work (see store_impl.h): list chunks, replay the WAL, start the WAL writer.
#include <algorithm>
#include <limits>
#include <set>

#include <spdlog/spdlog.h>

#include "chunks/chunk.h"
#include "chunks/store_impl.h"
#include "chunks/wal_format.h"
#include "chunks/wal_replay.h"

namespace sluice::chunks {

namespace {

using StreamKey = std::pair<std::string, uint64_t>;  // tenant, fp

// Adapts lambdas to wal::RecordVisitor.
class FnVisitor final : public wal::RecordVisitor {
 public:
  std::function<void(std::string_view, uint64_t, Labels)> series;
  std::function<void(std::string_view, uint64_t, uint64_t, std::span<const Entry>)> entries;
  std::function<void(std::string_view, uint64_t, uint64_t, uint64_t, std::string_view)> flushed;

  void OnSegmentHeader(uint64_t, uint8_t) override {}

  void OnSeries(std::string_view t, uint64_t fp, Labels l) override {
    if (series) {
      series(t, fp, std::move(l));
    }
  }

  void OnEntries(std::string_view t, uint64_t fp, uint64_t seq, std::span<const Entry> e) override {
    if (entries) {
      entries(t, fp, seq, e);
    }
  }

  void OnFlushed(std::string_view t, uint64_t fp, uint64_t first, uint64_t through,
                 std::string_view key) override {
    if (flushed) {
      flushed(t, fp, first, through, key);
    }
  }
};

}  // namespace

Status StoreImpl::Init() {
  FileSystem* fs = options_.fs;
  SLUICE_RETURN_IF_ERROR(fs->CreateDirs(options_.dir));
  wal_dir_ = JoinPath(options_.dir, "wal");
  SLUICE_RETURN_IF_ERROR(fs->CreateDirs(wal_dir_));
  object_store_ = options_.object_store;
  if (object_store_ == nullptr) {
    std::string chunk_dir = JoinPath(options_.dir, "chunks");
    SLUICE_RETURN_IF_ERROR(fs->CreateDirs(chunk_dir));
    owned_object_store_ = NewLocalObjectStore(fs, chunk_dir);
    object_store_ = owned_object_store_.get();
  }
  SLUICE_RETURN_IF_ERROR(fs->SyncDir(options_.dir));

  uint64_t next_segment = 1;
  std::map<uint64_t, uint64_t> segments;
  std::vector<std::pair<ChunkMeta, std::shared_ptr<const Labels>>> unknown_chunks;
  SLUICE_RETURN_IF_ERROR(ReplayWal(&next_segment, &segments, &unknown_chunks));
  SLUICE_ASSIGN_OR_RETURN(
      wal_, wal::WalWriter::Open(fs, wal_dir_, next_segment, options_.wal_segment_bytes,
                                 std::move(segments)));
  if (options_.observer != nullptr) {
    std::vector<Stream*> replayed;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [tenant, streams] : tenants_) {
        for (auto& [fp, s] : streams) {
          if (!s->head.empty() || !s->flushing.empty()) {
            replayed.push_back(s.get());
          }
        }
      }
    }
    for (Stream* s : replayed) {
      int64_t first = s->head.empty() ? s->flushing.front()->head->min_ts() : s->head.min_ts();
      options_.observer->OnStreamCreated(s->tenant, s->fp, *s->labels, first);
    }
    for (const auto& [meta, labels] : unknown_chunks) {
      options_.observer->OnChunkFlushed(meta, *labels);
    }
  }
  if (options_.background_flush) {
    background_ = std::thread([this] { BackgroundLoop(); });
  }
  return Status::Ok();
}

Result<std::shared_ptr<const Chunk>> StoreImpl::ReadChunkCounts(ChunkRef* ref) {
  SLUICE_ASSIGN_OR_RETURN(std::string bytes, object_store_->Get(ref->key));
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const Chunk> chunk, Chunk::Parse(std::move(bytes)));
  // Bytes as the flush counted them: line + encoded metadata (none when there is none).
  auto it = NewChunkIterator(chunk, std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max(), Direction::kForward);
  uint64_t entries = 0, total = 0;
  std::string md;
  while (it->Next()) {
    const Entry& e = it->At();
    ++entries;
    total += e.line.size();
    if (!e.metadata.empty()) {
      md.clear();
      EncodeMetadata(e.metadata, &md);
      total += md.size();
    }
  }
  SLUICE_RETURN_IF_ERROR(it->status());
  ref->entries = entries;
  ref->bytes = total;
  return chunk;
}

Status StoreImpl::ReplayWal(
    uint64_t* next_segment, std::map<uint64_t, uint64_t>* segments,
    std::vector<std::pair<ChunkMeta, std::shared_ptr<const Labels>>>* unknown) {
  std::lock_guard<std::mutex> l(mu_);  // nothing else runs yet; keeps the REQUIRES honest
  // Chunks that exist, by stream.
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> keys, object_store_->List(""));
  std::set<std::string, std::less<>> key_set(keys.begin(), keys.end());
  std::map<StreamKey, std::vector<ChunkRef>> chunk_refs;
  for (const std::string& key : keys) {
    ParsedChunkKey k;
    if (!ParseChunkKey(key, &k)) {
      continue;
    }
    chunk_refs[{k.tenant, k.fp}].push_back(ChunkRef{key, k.from_ns, k.through_ns, 0, 0});
  }
  chunks_known_ = 0;
  for (const auto& [sk, refs] : chunk_refs) {
    chunks_known_ += refs.size();
  }

  // Pass 1: Flushed markers whose chunk exists.
  std::map<StreamKey, std::vector<std::pair<uint64_t, uint64_t>>> flushed;
  std::map<StreamKey, uint64_t> seq_floor;
  FnVisitor markers;
  markers.flushed = [&](std::string_view t, uint64_t fp, uint64_t first, uint64_t through,
                        std::string_view key) {
    StreamKey sk{std::string(t), fp};
    seq_floor[sk] = std::max(seq_floor[sk], through);
    if (key_set.count(key)) {
      flushed[sk].emplace_back(first, through);
    }
  };
  wal::ReplayOptions pass1;
  pass1.want = [](uint8_t type) { return type == wal::kFlushed; };
  pass1.log_corruption = false;
  SLUICE_ASSIGN_OR_RETURN(wal::ReplayResult r1,
                          wal::ReplayWal(options_.fs, wal_dir_, &markers, pass1));

  // Pass 2: series and entries.
  uint64_t segment = 0;
  int64_t now = options_.clock->MonotonicNanos();
  uint64_t orphans = 0;
  FnVisitor apply;
  apply.series = [&](std::string_view t, uint64_t fp, Labels labels) {
    bool created;
    GetOrCreateStream(t, fp, labels, &created);
  };
  uint64_t position = 0;
  apply.entries = [&](std::string_view t, uint64_t fp, uint64_t first_seq,
                      std::span<const Entry> entries) {
    Stream* s = FindStream(t, fp);
    if (s == nullptr) {
      orphans += entries.size();
      return;
    }
    if (options_.observer != nullptr) {
      options_.observer->OnEntriesReplayed(t, fp, *s->labels, position, entries);
    }
    const auto* ranges = [&]() -> const std::vector<std::pair<uint64_t, uint64_t>>* {
      auto it = flushed.find(StreamKey{std::string(t), fp});
      return it == flushed.end() ? nullptr : &it->second;
    }();
    const Entry* last = nullptr;
    for (size_t i = 0; i < entries.size(); ++i) {
      uint64_t seq = first_seq + i;
      s->next_seq = std::max(s->next_seq, seq + 1);
      if (ranges != nullptr && std::any_of(ranges->begin(), ranges->end(), [seq](const auto& r) {
            return r.first <= seq && seq <= r.second;
          })) {
        continue;
      }
      const Entry& e = entries[i];
      if (s->head.empty()) {
        s->head_min_segment = segment;
        s->head_first_seq = s->head_last_seq = seq;
        s->head_created_ns = s->last_append_ns = now;
      }
      s->head.Append(e);
      s->head_first_seq = std::min(s->head_first_seq, seq);
      s->head_last_seq = std::max(s->head_last_seq, seq);
      s->newest_ts = s->has_newest ? std::max(s->newest_ts, e.timestamp_ns) : e.timestamp_ns;
      s->has_newest = true;
      last = &e;
      ++replayed_entries_;
      if (s->head.bytes() >= options_.target_chunk_bytes) {
        CutHead(s);
      }
    }
    if (last != nullptr) {
      s->last = OwnedEntry{last->timestamp_ns, std::string(last->line),
                           std::vector<Label>(last->metadata.begin(), last->metadata.end())};
      s->has_last = true;
    }
  };
  wal::ReplayOptions pass2;
  pass2.want = [](uint8_t type) { return type != wal::kFlushed; };
  pass2.begin_segment = [&](uint64_t seg) { segment = seg; };
  pass2.record_position = [&](uint64_t pos) { position = pos; };
  SLUICE_ASSIGN_OR_RETURN(wal::ReplayResult r2,
                          wal::ReplayWal(options_.fs, wal_dir_, &apply, pass2));
  wal_corruptions_ = r2.corruptions;
  if (orphans > 0) {
    spdlog::warn("chunks: wal replay dropped {} entries whose series record was lost", orphans);
  }
  *segments = r2.segments;
  if (!r2.segments.empty()) {
    *next_segment = r2.segments.rbegin()->first + 1;
  }
  (void)r1;

  // Attach chunks with their counts (from the observer, else read from the chunk); streams
  // known only from chunks take their labels from their newest chunk.
  for (auto& [sk, refs] : chunk_refs) {
    Stream* s = FindStream(sk.first, sk.second);
    std::vector<size_t> to_read;
    for (size_t i = 0; i < refs.size(); ++i) {
      ChunkMeta m{sk.first, sk.second, refs[i].from_ns, refs[i].through_ns, refs[i].key};
      if (options_.observer != nullptr && options_.observer->ChunkCounts(&m)) {
        refs[i].entries = m.entries;
        refs[i].bytes = m.uncompressed_bytes;
      } else {
        to_read.push_back(i);
      }
    }
    if (s == nullptr && (to_read.empty() || to_read.back() != refs.size() - 1)) {
      to_read.push_back(refs.size() - 1);  // only for the labels
    }
    std::vector<std::pair<ChunkMeta, size_t>> unknown_here;
    for (size_t i : to_read) {
      ChunkRef probe = refs[i];
      Result<std::shared_ptr<const Chunk>> chunk = ReadChunkCounts(&probe);
      if (!chunk.ok()) {
        spdlog::warn("chunks: cannot read chunk {} of stream {:016x}: {}", refs[i].key, sk.second,
                     chunk.status().ToString());
        continue;
      }
      if (s == nullptr) {
        bool created;
        s = GetOrCreateStream(sk.first, sk.second, (*chunk)->labels(), &created);
      }
      if (refs[i].entries == 0) {  // not known to the observer
        refs[i].entries = probe.entries;
        refs[i].bytes = probe.bytes;
        ChunkMeta m{sk.first,           sk.second,       refs[i].from_ns,
                    refs[i].through_ns, refs[i].key,     static_cast<uint32_t>(probe.entries),
                    probe.bytes,        (*chunk)->size()};
        unknown_here.emplace_back(std::move(m), i);
      }
    }
    if (s == nullptr) {
      continue;  // no readable chunk: the stream's labels are unknown
    }
    if (options_.observer != nullptr) {
      for (auto& [m, i] : unknown_here) {
        unknown->emplace_back(std::move(m), s->labels);
      }
    }
    for (const ChunkRef& c : refs) {
      s->newest_ts = s->has_newest ? std::max(s->newest_ts, c.through_ns) : c.through_ns;
      s->has_newest = true;
    }
    s->chunks = std::move(refs);
  }
  for (const auto& [sk, floor] : seq_floor) {
    if (Stream* s = FindStream(sk.first, sk.second)) {
      s->next_seq = std::max(s->next_seq, floor + 1);
    }
  }
  return Status::Ok();
}

}  // namespace sluice::chunks
