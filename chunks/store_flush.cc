// Cutting heads into chunks and retiring WAL segments (see store_impl.h).
//
// Order of a flush, and why (chunks/WAL.md, "Flushing"):
//   1. cut: the head moves to Stream::flushing (still readable), a fresh head starts;
//   2. encode the chunk (no lock held);
//   3. log a Flushed marker (sequence range + chunk key) and sync it;
//   4. Put the chunk (atomic, durable);
//   5. swap the flushing head for a ChunkRef under mu_ (readers never see both or neither);
//   6. delete WAL segments older than every head and flushing head still needs.
// Steps 2-5 run for several streams at once (FlushPending), the heads of one stream in order.
// A crash between 3 and 4 leaves a marker whose chunk does not exist: replay ignores it and
// restores the entries. A crash after 4 leaves both: replay skips the marked entries.
#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <thread>

#include <spdlog/spdlog.h>

#include "chunks/chunk.h"
#include "chunks/store_impl.h"
#include "chunks/wal_record.h"
#include "common/coding.h"

namespace sluice::chunks {

// A fully flushed store rotates its WAL segment once it holds more than this.
constexpr uint64_t kRotateWhenIdleBytes = 64 * 1024;
// Streams flushed at once by FlushPending.
constexpr size_t kFlushThreads = 4;

void StoreImpl::CutHead(Stream* s) {
  auto f = std::make_shared<FlushingHead>();
  f->head = std::make_shared<const HeadBlock>(std::move(s->head));
  f->min_segment = s->head_min_segment;
  f->first_seq = s->head_first_seq;
  f->last_seq = s->head_last_seq;
  flush_backlog_bytes_ += f->head->bytes();
  s->flushing.push_back(std::move(f));
  s->head = HeadBlock();
}

Status StoreImpl::FlushIdle() {
  std::lock_guard<std::mutex> flush_lock(flush_mu_);
  {
    std::lock_guard<std::mutex> l(mu_);
    int64_t now = options_.clock->MonotonicNanos();
    uint64_t segment = wal_->current_segment();
    for (auto& [tenant, streams] : tenants_) {
      for (auto& [fp, s] : streams) {
        if (s->head.empty()) {
          continue;
        }
        if (segment - s->head_min_segment > options_.wal_max_segments) {
          CutHead(s.get());  // it pins old WAL segments
          continue;
        }
        if (now - s->head_created_ns >= options_.max_chunk_age_ns ||
            now - s->last_append_ns >= options_.chunk_idle_ns ||
            s->head.bytes() >= options_.target_chunk_bytes) {
          CutHead(s.get());
        }
      }
    }
  }
  Status st = FlushPending();
  Status del = DeleteObsoleteSegments();
  return st.ok() ? del : st;
}

Status StoreImpl::FlushAll() {
  std::lock_guard<std::mutex> flush_lock(flush_mu_);
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [tenant, streams] : tenants_) {
      for (auto& [fp, s] : streams) {
        if (!s->head.empty()) {
          CutHead(s.get());
        }
      }
    }
  }
  Status st = FlushPending();
  Status del = DeleteObsoleteSegments();
  return st.ok() ? del : st;
}

Status StoreImpl::FlushPending() {
  std::vector<std::pair<Stream*, std::shared_ptr<FlushingHead>>> work;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [tenant, streams] : tenants_) {
      for (auto& [fp, s] : streams) {
        for (auto& f : s->flushing) {
          if (f->in_progress) {
            continue;
          }
          f->in_progress = true;
          work.emplace_back(s.get(), f);
        }
      }
    }
  }
  // A flush waits on syncs (the WAL marker, the chunk file and its directory, the observer's
  // index write) far more than it computes: flush several streams at once so that the waits
  // overlap. One thread takes all pending heads of a stream, in order.
  std::map<Stream*, std::vector<std::shared_ptr<FlushingHead>>> by_stream;
  for (auto& [s, f] : work) {
    by_stream[s].push_back(std::move(f));
  }
  std::vector<std::pair<Stream*, std::vector<std::shared_ptr<FlushingHead>>>> jobs(
      std::make_move_iterator(by_stream.begin()), std::make_move_iterator(by_stream.end()));
  std::atomic<size_t> next{0};
  std::mutex error_mu;
  Status first_error;
  auto run = [&] {
    for (size_t i; (i = next.fetch_add(1)) < jobs.size();) {
      Stream* s = jobs[i].first;
      for (auto& f : jobs[i].second) {
        Status st = FlushOne(s, f);
        if (st.ok()) {
          continue;
        }
        spdlog::error("chunks: flushing stream {:016x} of tenant {}: {}", s->fp, s->tenant,
                      st.ToString());
        {
          std::lock_guard<std::mutex> l(mu_);
          f->in_progress = false;  // retried by the next flush
        }
        std::lock_guard<std::mutex> l(error_mu);
        if (first_error.ok()) {
          first_error = st;
        }
      }
    }
  };
  std::vector<std::thread> helpers;
  for (size_t k = 1; k < std::min(jobs.size(), kFlushThreads); ++k) {
    helpers.emplace_back(run);
  }
  run();
  for (std::thread& t : helpers) {
    t.join();
  }
  return first_error;
}

Status StoreImpl::FlushOne(Stream* s, std::shared_ptr<FlushingHead> f) {
  // Stream's tenant, fp and labels are immutable: safe to read without mu_.
  ChunkBuilder builder(s->tenant, s->fp, *s->labels,
                       ChunkBuilder::Options{options_.block_bytes, options_.compression_level});
  f->head->BuildChunk(&builder);
  uint64_t uncompressed = builder.uncompressed_bytes();
  uint32_t entries = builder.entries();
  SLUICE_ASSIGN_OR_RETURN(std::string bytes, builder.Finish());
  ChunkMeta meta;
  meta.tenant = s->tenant;
  meta.fp = s->fp;
  meta.from_ns = f->head->min_ts();
  meta.through_ns = f->head->max_ts();
  meta.key = ChunkKey(s->tenant, s->fp, meta.from_ns, meta.through_ns, crc32c::Value(bytes));
  meta.entries = entries;
  meta.uncompressed_bytes = uncompressed;
  meta.compressed_bytes = bytes.size();

  std::string marker;
  wal::EncodeFlushed(s->tenant, s->fp, f->first_seq, f->last_seq, meta.key, &marker);
  uint64_t lsn = wal_->Append([&](uint64_t, const wal::WalWriter::AddFn& add) { add(marker); });
  SLUICE_RETURN_IF_ERROR(wal_->Sync(lsn));
  SLUICE_RETURN_IF_ERROR(object_store_->Put(meta.key, bytes));

  {
    std::lock_guard<std::mutex> l(mu_);
    s->flushing.erase(std::find(s->flushing.begin(), s->flushing.end(), f));
    flush_backlog_bytes_ -= f->head->bytes();
    backlog_cv_.notify_all();
    s->chunks.push_back(
        ChunkRef{meta.key, meta.from_ns, meta.through_ns, meta.entries, f->head->bytes()});
    ++chunks_flushed_;
    ++chunks_known_;
    chunk_bytes_flushed_ += meta.compressed_bytes;
  }
  if (options_.observer != nullptr) {
    options_.observer->OnChunkFlushed(meta, *s->labels);
  }
  return Status::Ok();
}

Status StoreImpl::DeleteObsoleteSegments() {
  constexpr uint64_t kNoHead = std::numeric_limits<uint64_t>::max();
  auto oldest_needed = [this] {
    std::lock_guard<std::mutex> l(mu_);
    uint64_t needed = kNoHead;
    for (auto& [tenant, streams] : tenants_) {
      for (auto& [fp, s] : streams) {
        if (!s->head.empty()) {
          needed = std::min(needed, s->head_min_segment);
        }
        for (const auto& f : s->flushing) {
          needed = std::min(needed, f->min_segment);
        }
      }
    }
    return needed;
  };
  uint64_t needed = oldest_needed();
  if (needed == kNoHead) {
    // Everything is in chunks: start a new segment so that the current one can go too (else
    // a quiet store would keep up to wal_segment_bytes of obsolete WAL forever).
    SLUICE_RETURN_IF_ERROR(wal_->Rotate(kRotateWhenIdleBytes).status());
    // An Append may have raced in since; recompute.
    needed = std::min(oldest_needed(), wal_->current_segment());
  } else {
    needed = std::min(needed, wal_->current_segment());
  }
  if (!wal_->HasSegmentsBefore(needed)) {
    return Status::Ok();
  }
  if (options_.observer != nullptr) {
    SLUICE_RETURN_IF_ERROR(options_.observer->OnWalTruncate());
  }
  return wal_->DeleteSegmentsBefore(needed);
}

}  // namespace sluice::chunks
