// StoreImpl: the Store behind Store::Open (internal to chunks/). Split by role:
//   store_impl.cc   Append, reads (iterators, ListStreams), stats, background thread
//   store_flush.cc  cutting heads, writing chunks, WAL segment deletion
//   store_open.cc   Open: listing chunks, WAL replay
//
// Locking: mu_ guards tenants_, every Stream's fields except series_segment, and counters.
// Stream::series_segment is guarded by the WAL writer's lock (it is only touched inside
// WalWriter::Append's fill function). flush_mu_ serialises flushers. Stream objects are never
// destroyed while the Store lives, so Stream* stay valid outside mu_. Lock order:
// flush_mu_ -> mu_ -> (WAL locks). No lock is held while calling the observer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "chunks/chunk.h"
#include "chunks/head_block.h"
#include "chunks/object_store.h"
#include "chunks/store.h"
#include "chunks/wal_writer.h"

namespace sluice::chunks {

// A head that was cut and is being (or waits to be) written as a chunk. Immutable but for
// `in_progress`, which is guarded by the Store's mu_.
struct FlushingHead {
  std::shared_ptr<const HeadBlock> head;
  uint64_t min_segment = 0;  // oldest WAL segment holding its entries
  uint64_t first_seq = 0, last_seq = 0;
  bool in_progress = false;
};

struct ChunkRef {
  std::string key;
  int64_t from_ns = 0, through_ns = 0;
  uint64_t entries = 0;  // 0 when unknown (chunk found at Open, not read)
  uint64_t bytes = 0;
};

struct Stream {
  std::string tenant;
  uint64_t fp = 0;
  std::shared_ptr<const Labels> labels;

  HeadBlock head;
  uint64_t head_min_segment = 0;
  uint64_t head_first_seq = 0, head_last_seq = 0;
  int64_t head_created_ns = 0;  // by Clock::MonotonicNanos
  int64_t last_append_ns = 0;
  std::vector<std::shared_ptr<FlushingHead>> flushing;
  std::vector<ChunkRef> chunks;

  uint64_t next_seq = 1;  // sequence number of the next accepted entry
  bool has_newest = false;
  int64_t newest_ts = 0;  // newest accepted timestamp (for the out-of-order window)
  bool has_last = false;
  OwnedEntry last;  // last accepted entry (for duplicate detection)

  uint64_t series_segment = 0;  // WAL segment its series record was last written to
};

class StoreImpl final : public Store {
 public:
  explicit StoreImpl(StoreOptions options);
  ~StoreImpl() override;

  Status Append(std::string_view tenant, std::span<const StreamAppend> streams,
                AppendOutcome* outcome) override;
  std::unique_ptr<EntryIterator> NewStreamIterator(std::string_view tenant, uint64_t fp,
                                                   int64_t start_ns, int64_t end_ns,
                                                   Direction direction) override;
  std::unique_ptr<EntryIterator> NewFilteredStreamIterator(std::string_view tenant, uint64_t fp,
                                                           int64_t start_ns, int64_t end_ns,
                                                           Direction direction,
                                                           LineFilterFn filter) override;
  std::vector<StreamInfo> ListStreams(std::string_view tenant, int64_t start_ns,
                                      int64_t end_ns) override;
  std::vector<std::string> Tenants() override;
  uint64_t WalPosition() override;
  void WaitForFlushBacklog(int64_t max_wait_ns) override;
  Status FlushIdle() override;
  Status FlushAll() override;
  Stats GetStats() override;

  // Open's steps (store_open.cc).
  Status Init();

 private:
  using StreamMap = std::unordered_map<uint64_t, std::unique_ptr<Stream>>;

  Stream* FindStream(std::string_view tenant, uint64_t fp);  // REQUIRES: mu_ held
  Stream* GetOrCreateStream(std::string_view tenant, uint64_t fp, const Labels& labels,
                            bool* created);  // REQUIRES: mu_ held
  // Moves the head into `flushing`. REQUIRES: mu_ held, head not empty.
  void CutHead(Stream* s);
  // Writes every flushing head that is not in progress. REQUIRES: flush_mu_ held.
  Status FlushPending();
  Status FlushOne(Stream* s, std::shared_ptr<FlushingHead> f);
  Status DeleteObsoleteSegments();
  void BackgroundLoop();

  // store_open.cc
  Status ReplayWal(uint64_t* next_segment, std::map<uint64_t, uint64_t>* segments,
                   std::vector<std::pair<ChunkMeta, std::shared_ptr<const Labels>>>* unknown);
  // Entries and bytes of chunk `key` (read from the object store), plus its labels.
  Result<std::shared_ptr<const Chunk>> ReadChunkCounts(ChunkRef* ref);

  StoreOptions options_;
  std::unique_ptr<ObjectStore> owned_object_store_;
  ObjectStore* object_store_ = nullptr;
  std::string wal_dir_;
  std::unique_ptr<wal::WalWriter> wal_;

  std::mutex flush_mu_;
  std::mutex mu_;
  std::map<std::string, StreamMap, std::less<>> tenants_;
  uint64_t chunks_flushed_ = 0, chunk_bytes_flushed_ = 0, chunks_known_ = 0;
  uint64_t replayed_entries_ = 0, wal_corruptions_ = 0;
  uint64_t flush_backlog_bytes_ = 0;            // bytes of the heads in Stream::flushing
  std::condition_variable backlog_cv_;          // with mu_: the backlog shrank
  std::atomic<uint64_t> last_segment_seen_{0};  // for waking the flusher on rotation

  std::thread background_;
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stopping_ = false;      // guarded by bg_mu_
  bool flush_wanted_ = false;  // guarded by bg_mu_: a head reached its target size
};

}  // namespace sluice::chunks
