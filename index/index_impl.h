// Index::Impl: the state behind index::Index (private to index/). Its methods are defined in
//   index.cc       open, writes (AddStream, AddChunk, counters, Flush), Chunks, label cache
//   select.cc      matchers -> postings per day, SelectStreams, LabelNames, LabelValues
//   volume.cc      Stats, Volume, VolumeRange (counter scans)
// Thread-safety: as Index. Each shard's mutex guards that shard's maps; flush_mu_ serialises
// counter flushes; labels_mu_ guards the label cache. LevelDB is internally synchronised.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "index/index.h"
#include "index/key_format.h"
#include "index/postings.h"

namespace leveldb {
class Cache;
class DB;
class FilterPolicy;
class Iterator;
}  // namespace leveldb

namespace sluice::index {

class Index::Impl {
 public:
  static Result<std::unique_ptr<Impl>> Open(IndexOptions options);
  ~Impl();

  // index.cc
  Status AddStream(std::string_view tenant, uint64_t fp, const Labels& labels, int64_t ts_ns,
                   uint64_t entries, uint64_t bytes);
  Status AddChunk(const ChunkRef& ref);
  Result<std::vector<ChunkRef>> Chunks(std::string_view tenant, uint64_t fp, int64_t start_ns,
                                       int64_t end_ns);
  // Writes dirty counters (and the watermark if `watermark` is set).
  Status FlushCounters(bool sync, const uint64_t* watermark);

  uint64_t flushed_watermark() const { return watermark_.load(); }

  int64_t bucket_ns() const { return bucket_ns_; }

  // The label set of a registered stream (cached). NotFound if unknown.
  Result<Labels> GetLabels(std::string_view tenant, uint64_t fp);

  // select.cc
  // Fingerprints of streams active on a day overlapping [start_ns, end_ns) matching all
  // matchers (sorted).
  Result<Postings> SelectFps(std::string_view tenant, const Matchers& matchers, int64_t start_ns,
                             int64_t end_ns);
  Result<std::vector<StreamRecord>> SelectStreams(std::string_view tenant, const Matchers& matchers,
                                                  int64_t start_ns, int64_t end_ns);
  Result<std::vector<std::string>> LabelNames(std::string_view tenant, int64_t start_ns,
                                              int64_t end_ns, const Matchers& filter);
  Result<std::vector<std::string>> LabelValues(std::string_view tenant, std::string_view name,
                                               int64_t start_ns, int64_t end_ns,
                                               const Matchers& filter);

  // Counters changed since they were last written, of one tenant and the streams `fps`
  // (sorted), by C key.
  using PendingCounters = std::map<std::string, std::vector<keys::SlotCounts>, std::less<>>;
  PendingCounters Pending(std::string_view tenant, const Postings& fps);
  // An iterator over the database and the pending counters of `tenant` and `fps`, taken
  // together while no counter flush is in flight.
  std::unique_ptr<leveldb::Iterator> SnapshotCounters(std::string_view tenant, const Postings& fps,
                                                      PendingCounters* pending);

  // volume.cc
  Result<IndexStats> Stats(std::string_view tenant, const Matchers& matchers, int64_t start_ns,
                           int64_t end_ns);
  Result<std::vector<VolumeSeries>> VolumeSeriesFor(std::string_view tenant,
                                                    const VolumeRequest& req, int64_t step_ns);

  // Counts chunks of the streams `fps` overlapping the range, reading through `it`.
  Result<uint64_t> CountChunks(leveldb::Iterator* it, std::string_view tenant, const Postings& fps,
                               int64_t start_ns, int64_t end_ns);

  leveldb::DB* db() { return db_.get(); }

 private:
  // In-memory totals of one (tenant, day, fp) counter record, keyed by its C key.
  struct Counter {
    std::vector<keys::SlotCounts> slots;  // ascending slot
    uint64_t version = 0;                 // bumped on every change
    uint64_t flushed = 0;                 // version last written
    uint64_t touched = 0;                 // sweep generation of the last change
    bool queued = false;                  // listed in dirty_keys
  };

  struct Shard {
    std::mutex mu;
    std::unordered_set<std::string> registered;  // D keys known to be written
    std::unordered_map<std::string, Counter> counters;
    std::vector<std::string> dirty_keys;  // counters with unwritten changes, each once
  };

  static constexpr size_t kShards = 16;

  Impl() = default;
  Status Register(Shard& shard, const std::string& day_key, std::string_view tenant, uint64_t fp,
                  const Labels& labels, int64_t day);
  Status AddCounts(Shard& shard, const std::string& counter_key, uint32_t slot, uint64_t entries,
                   uint64_t bytes);
  void MaybeAutoFlush();
  Status FlushLocked(bool sync, const uint64_t* watermark);
  void SweepIdleCounters();
  void CacheLabels(const std::string& stream_key, const Labels& labels);

  IndexOptions options_;
  int64_t bucket_ns_ = 0;
  std::unique_ptr<const leveldb::FilterPolicy> filter_policy_;
  std::unique_ptr<leveldb::Cache> block_cache_;
  std::unique_ptr<leveldb::DB> db_;  // declared last among LevelDB objects: destroyed first

  Shard shards_[kShards];
  std::atomic<size_t> dirty_{0};
  std::atomic<int64_t> last_flush_ns_{0};
  std::atomic<uint64_t> watermark_{0};
  std::atomic<int64_t> max_chunk_span_{0};
  std::mutex flush_mu_;
  std::atomic<uint64_t> sweep_gen_{1};  // advanced under flush_mu_
  int64_t last_sweep_ns_ = 0;           // guarded by flush_mu_
  std::mutex chunk_mu_;                 // serialises max_chunk_span_ updates with their writes

  std::shared_mutex labels_mu_;
  std::unordered_map<std::string, Labels> labels_;  // S key -> labels; guarded by labels_mu_
};

}  // namespace sluice::index
