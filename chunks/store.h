// chunks::Store: durable storage of log entries for all tenants and streams.
//
// Writes go to a write-ahead log (chunks/WAL.md) and to one in-memory head block per
// (tenant, stream); heads are cut by size or age into immutable chunks of zstd-compressed blocks
// (chunks/FORMAT.md) that are written through an ObjectStore. Reads merge head and chunks.
//
//   StoreOptions opts;
//   opts.dir = "/var/lib/sluice";
//   SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(std::move(opts)));
//   StreamAppend s{&labels, labels.Hash(), entries};
//   AppendOutcome outcome;
//   SLUICE_RETURN_IF_ERROR(store->Append("tenant", {&s, 1}, &outcome));  // durable now
//   auto it = store->NewStreamIterator("tenant", labels.Hash(), start, end, Direction::kForward);
//   while (it->Next()) Use(it->At());
//   SLUICE_RETURN_IF_ERROR(it->status());
//   SLUICE_RETURN_IF_ERROR(store->FlushAll());  // on clean shutdown
//
// Thread-safety: every method of Store may be called from many threads at once. Iterators are
// single-threaded and may outlive later appends (they see a snapshot taken at creation) but not
// the Store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chunks/line_filter.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/iterator.h"
#include "common/labels.h"
#include "common/result.h"

namespace sluice::chunks {

class ObjectStore;

// What is known about one flushed chunk. `key` names it in the ObjectStore.
struct ChunkMeta {
  std::string tenant;
  uint64_t fp = 0;         // stream fingerprint (Labels::Hash())
  int64_t from_ns = 0;     // oldest entry timestamp, inclusive
  int64_t through_ns = 0;  // newest entry timestamp, inclusive
  std::string key;
  uint32_t entries = 0;
  uint64_t uncompressed_bytes = 0;  // lines + metadata + timestamps before compression
  uint64_t compressed_bytes = 0;    // size of the chunk object
};

// Callbacks for the index (server/ wires them to index/). Called without Store locks held,
// possibly from the background flush thread (those marked "at Open" from Open's thread before
// it returns); must be thread-safe and must not call back into the Store.
class StoreObserver {
 public:
  virtual ~StoreObserver() = default;

  // A stream received its first entry since it was last unknown to this process (also called
  // for streams rebuilt by WAL replay at Open).
  virtual void OnStreamCreated(std::string_view /*tenant*/, uint64_t /*fp*/,
                               const Labels& /*labels*/, int64_t /*first_ts_ns*/) {}

  // A chunk is durable in the ObjectStore. Also called at Open for chunks found in the store
  // that ChunkCounts did not know (a crash came between the chunk's Put and this callback).
  virtual void OnChunkFlushed(const ChunkMeta& /*meta*/, const Labels& /*labels*/) {}

  // At Open, for every chunk found in the ObjectStore: fill meta->entries and
  // meta->uncompressed_bytes from what the observer recorded in OnChunkFlushed and return
  // true, or return false when it does not know the chunk (the Store then reads it).
  virtual bool ChunkCounts(ChunkMeta* /*meta*/) { return false; }

  // At Open, every entries record of the WAL in log order, with its WalPosition (as
  // Store::WalPosition() reported after the Append that wrote it), including entries already
  // in flushed chunks: an observer that persists derived data (counters) up to a recorded
  // WalPosition rebuilds what it had not persisted before a crash from these.
  virtual void OnEntriesReplayed(std::string_view /*tenant*/, uint64_t /*fp*/,
                                 const Labels& /*labels*/, uint64_t /*wal_position*/,
                                 std::span<const Entry> /*entries*/) {}

  // Called before WAL segments are deleted: their entries will not be replayed again, so an
  // observer persists what it derived from them now. An error keeps the segments.
  virtual Status OnWalTruncate() { return Status::Ok(); }
};

// The entries of one stream in an Append call. `labels` is borrowed for the call only;
// `fp` must equal labels->Hash().
struct StreamAppend {
  const Labels* labels = nullptr;
  uint64_t fp = 0;
  std::span<const OwnedEntry> entries;
};

struct AppendOutcome {
  int64_t accepted = 0;    // entries stored
  int64_t duplicates = 0;  // equal (ts, line, metadata) to the stream's last entry: dropped

  struct Rejected {
    size_t stream_index = 0;  // into the `streams` argument
    size_t entry_index = 0;   // into that stream's entries
    int64_t bound_ns = 0;     // oldest timestamp the stream accepted at that moment
  };

  std::vector<Rejected> too_far_behind;  // older than stream newest - out_of_order_window

  struct Position {
    size_t stream_index = 0;
    size_t entry_index = 0;
  };

  std::vector<Position> duplicate_entries;  // the dropped duplicates, in call order
};

struct StreamInfo {
  uint64_t fp = 0;
  Labels labels;
  int64_t min_ts_ns = 0;  // over head + chunks of the stream (whole stream, not clipped)
  int64_t max_ts_ns = 0;
  // Over head + chunks (chunks found at Open: as StoreObserver::ChunkCounts reported, else
  // read from the chunk).
  uint64_t entries = 0;
  uint64_t bytes = 0;  // uncompressed line + metadata bytes
};

struct StoreOptions {
  // Borrowed; must outlive the Store. Default: the real file system.
  FileSystem* fs = FileSystem::Default();
  // Borrowed. Used for head age / idle decisions only (entry timestamps come from the client).
  Clock* clock = Clock::Default();
  // Root directory; the WAL lives in dir/wal/, and local chunks in dir/chunks/. Required.
  std::string dir;
  // Borrowed; null: a local object store over `fs` under dir/chunks/.
  ObjectStore* object_store = nullptr;
  // Borrowed, may be null. See StoreObserver.
  StoreObserver* observer = nullptr;
  // Entries older than (stream newest - window) are rejected. Default 1 h, as Loki. Larger
  // windows accept more late data but let chunks of a stream overlap more (slower queries).
  int64_t out_of_order_window_ns = int64_t{3600} * 1000000000;
  // A head is cut into a chunk once it holds this many uncompressed bytes. Default 1.5 MiB:
  // bigger chunks compress slightly better and mean fewer objects, but cost more memory per
  // active stream (a head is kept uncompressed) and more WAL to replay.
  size_t target_chunk_bytes = 1536 * 1024;
  // Uncompressed size of one zstd block inside a chunk. Default 512 KiB: a query decompresses
  // whole blocks, so smaller blocks skip more on narrow time ranges; larger ones compress better.
  size_t block_bytes = 512 * 1024;
  // zstd level for chunk blocks. Default 1: on genlogs JSON and loghub text with 512 KiB
  // blocks it was both faster and ~2-3% smaller than level 3 (bench/chunks_storage_bench);
  // levels 5+ gain a few % more for 2-4x the encode time.
  int compression_level = 1;
  // A head whose oldest entry arrived this long ago (by `clock`) is cut. Default 1 h.
  int64_t max_chunk_age_ns = int64_t{3600} * 1000000000;
  // A head that received nothing for this long (by `clock`) is cut. Default 30 min.
  int64_t chunk_idle_ns = int64_t{1800} * 1000000000;
  // A WAL segment is closed and a new one started beyond this size. Default 4 MiB: segments
  // are deleted whole, so smaller ones free disk sooner after flushes, but mean more files.
  size_t wal_segment_bytes = 4 << 20;
  // A head whose oldest entry sits more than this many segments behind the current one is cut
  // early (by FlushIdle / the background thread), so a slow stream cannot pin old segments:
  // the WAL stays near (wal_max_segments + 1) * wal_segment_bytes. Default 3. Smaller: less
  // WAL on disk and faster replay, but smaller (less compressed) chunks for slow streams.
  uint64_t wal_max_segments = 3;
  // zstd level for WAL entries records; 0 stores them raw, negative levels are zstd's fast
  // ones. Default 1: WAL ~0.20 bytes per line byte at ~320 MB/s (bench/chunks_wal_bench);
  // -5: ~0.33 at ~460 MB/s; raw: ~1.02 at ~480 MB/s.
  int wal_compression_level = 1;
  // WaitForFlushBacklog() blocks while heads cut but not yet written as chunks hold more than
  // this many bytes, so ingest faster than the flushes cannot grow memory without bound.
  // Default 64 MiB; 0: never wait.
  size_t max_flush_backlog_bytes = 64 << 20;
  // A background thread calls FlushIdle() every `flush_check_interval_ns`. Tests turn it off
  // and call FlushIdle() themselves.
  bool background_flush = true;
  int64_t flush_check_interval_ns = int64_t{10} * 1000000000;
};

class Store {
 public:
  struct Stats {
    uint64_t tenants = 0;
    uint64_t streams = 0;               // streams known in memory
    uint64_t head_entries = 0;          // entries not yet in a flushed chunk
    uint64_t head_bytes = 0;            // their uncompressed bytes
    uint64_t chunks_flushed = 0;        // since Open
    uint64_t chunk_bytes_flushed = 0;   // compressed, since Open
    uint64_t chunks_known = 0;          // chunks listed at Open plus flushed since
    uint64_t wal_segments = 0;          // live segment files
    uint64_t wal_bytes = 0;             // bytes in live segment files
    uint64_t wal_syncs = 0;             // fdatasync calls since Open
    uint64_t wal_records = 0;           // records written since Open
    uint64_t wal_replayed_entries = 0;  // entries restored into heads at Open
    uint64_t wal_corruptions = 0;       // torn or corrupt regions skipped at Open
  };

  virtual ~Store() = default;

  // Opens (creating dirs as needed), replays the WAL into heads, and lists existing chunks.
  // A torn or corrupt WAL tail is cut at the last good record with a warning.
  static Result<std::unique_ptr<Store>> Open(StoreOptions options);

  // Stores the entries durably: OK means they are in the WAL and the WAL is fsynced (group
  // commit: one fdatasync serves every caller waiting at that moment). Per stream, entries
  // older than (stream newest - window) are rejected and listed in outcome->too_far_behind; an
  // entry equal (ts, line, metadata) to the stream's last is dropped and counted. `outcome`
  // may be null. A non-OK status: nothing of this call may be assumed durable.
  virtual Status Append(std::string_view tenant, std::span<const StreamAppend> streams,
                        AppendOutcome* outcome) = 0;

  // Entries of one stream (head + chunks) with start <= ts < end, in direction order (also for
  // entries that arrived out of order). Decompresses only blocks overlapping the range. Errors
  // (corrupt chunk, I/O) stop the iterator and show in status(). Unknown streams: empty.
  virtual std::unique_ptr<EntryIterator> NewStreamIterator(std::string_view tenant, uint64_t fp,
                                                           int64_t start_ns, int64_t end_ns,
                                                           Direction direction) = 0;
  // As NewStreamIterator, but only entries whose line `filter` accepts (a null filter accepts
  // all). Cheaper than filtering the result: rejected entries skip the merge and the copies.
  // The default implementation filters NewStreamIterator's output.
  virtual std::unique_ptr<EntryIterator> NewFilteredStreamIterator(std::string_view tenant,
                                                                   uint64_t fp, int64_t start_ns,
                                                                   int64_t end_ns,
                                                                   Direction direction,
                                                                   LineFilterFn filter);

  // Backpressure for writers: returns once the flush backlog is below
  // StoreOptions::max_flush_backlog_bytes (or after `max_wait_ns`, so a failing flush cannot
  // stall callers forever). Append itself never waits; callers call this before it, outside
  // any lock the flush path may need.
  virtual void WaitForFlushBacklog(int64_t /*max_wait_ns*/ = int64_t{5} * 1000000000) {}

  // Streams of `tenant` with data overlapping [start, end), in no particular order.
  virtual std::vector<StreamInfo> ListStreams(std::string_view tenant, int64_t start_ns,
                                              int64_t end_ns) = 0;
  // Tenants with data, sorted.
  virtual std::vector<std::string> Tenants() = 0;

  // wal::WalPosition just past the last WAL record appended. It only grows, across restarts
  // too; an Append's entries have positions <= WalPosition() once it returns, later Appends'
  // entries above it. See StoreObserver::OnEntriesReplayed.
  virtual uint64_t WalPosition() { return 0; }

  // Cuts and flushes heads over max_chunk_age_ns / chunk_idle_ns or over target size, then
  // deletes WAL segments no longer needed.
  virtual Status FlushIdle() = 0;
  // Cuts and flushes every head (clean shutdown), then deletes WAL segments no longer needed.
  virtual Status FlushAll() = 0;

  virtual Stats GetStats() = 0;
};

}  // namespace sluice::chunks
