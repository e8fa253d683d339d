// Index: the label inverted index of Sluice, stored in LevelDB (key layout: index/FORMAT.md).
// It answers "which streams match this selector in this time range" (postings per day bucket),
// label names / values, chunk references per stream, and entry / byte counters per stream and
// time bucket (for /index/stats and /index/volume), without touching chunk data.
//
// Usage:
//   IndexOptions opts;
//   opts.path = data_dir + "/index";
//   SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<index::Index> ix, index::Index::Open(opts));
//   SLUICE_RETURN_IF_ERROR(ix->AddStream("tenant", labels.Hash(), labels, ts_ns, n, line_bytes));
//   SLUICE_RETURN_IF_ERROR(ix->AddChunk(ref));     // durable (sync) before the WAL drops the data
//   SLUICE_ASSIGN_OR_RETURN(auto streams, ix->SelectStreams("tenant", matchers, start, end));
//   SLUICE_RETURN_IF_ERROR(ix->Flush());            // on shutdown: persist pending counters
//
// Time ranges are half-open [start_ns, end_ns) everywhere. Streams are registered per UTC day
// (day = floor(ts / 86400 s)); a stream is "in range" when it received an entry on a day that
// overlaps the range, so label queries only read the days in range. Counters are kept per
// `counter_bucket_ns` bucket (default 1 h) and a bucket counts whole when it overlaps the range.
//
// Tenants are fully isolated: every key starts with the tenant, encoded so that no tenant's keys
// are a prefix of another's.
//
// Durability: AddStream registrations and counters are written with sync=false (the WAL can
// recreate them on replay); AddChunk is written with sync=true, which also makes every earlier
// write durable (LevelDB's log is ordered). Counters accumulated in memory are lost on a crash
// unless Flush()ed; see Flush() for the watermark that lets a WAL replay avoid double counting.
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/labels.h"
#include "common/matcher.h"
#include "common/result.h"
#include "common/status.h"

namespace sluice {
class Clock;
}

namespace sluice::index {

struct IndexOptions {
  // Directory of the LevelDB database; created if missing. Required. LevelDB uses its own
  // (real) Env, so there is no FileSystem seam here.
  std::string path;
  // LevelDB block cache. Default 8 MiB: postings and counters of ~10 k streams fit.
  size_t block_cache_bytes = 8u << 20;
  // LevelDB write buffer (memtable). Default 4 MiB (LevelDB's).
  size_t write_buffer_bytes = 4u << 20;
  // Width of a counter bucket; must divide 24 h. Only used when the database is created (the value
  // is stored in the database and the stored one wins on reopen). Smaller buckets make stats /
  // volume over short ranges exact but cost one key per active stream per bucket. Default 1 h.
  int64_t counter_bucket_ns = 3600LL * 1000 * 1000 * 1000;
  // Pending counters are written automatically when this many (tenant, bucket, stream)
  // counters are dirty, or `flush_interval_ns` after the last write, whichever comes first
  // (checked on AddStream). Default 4096 / 10 s.
  size_t max_dirty_counters = 4096;
  int64_t flush_interval_ns = 10LL * 1000 * 1000 * 1000;
  // Whether AddStream writes pending counters by the rule above. A caller that pairs counters
  // with a watermark (Flush(watermark)) turns it off and calls Flush itself, so that no counter
  // is persisted beyond the watermark stored with it. Default true.
  bool auto_flush = true;
  // In-memory cache of stream labels by (tenant, fp), so selecting many streams does not read
  // each label set from LevelDB. Cleared when it grows past this many entries. Default 200 k.
  size_t max_cached_streams = 200000;
  // Whether destroying the Index flushes pending counters (sync). Tests of crash behaviour turn
  // it off. Default true.
  bool flush_on_close = true;
  // Time source for the flush trigger. Null: Clock::Default().
  Clock* clock = nullptr;
};

// A chunk of one stream, stored under `key` in the object store.
struct ChunkRef {
  std::string tenant;
  uint64_t fp = 0;
  int64_t from_ns = 0;     // first entry's timestamp
  int64_t through_ns = 0;  // last entry's timestamp (inclusive)
  std::string key;         // object-store key of the chunk
  uint32_t entries = 0;
  uint64_t bytes = 0;  // uncompressed line bytes

  friend bool operator==(const ChunkRef&, const ChunkRef&) = default;
};

struct StreamRecord {
  uint64_t fp = 0;
  Labels labels;
};

// Answer of /loki/api/v1/index/stats.
struct IndexStats {
  uint64_t streams = 0;
  uint64_t chunks = 0;   // chunk refs of matching streams overlapping the range
  uint64_t entries = 0;  // from counters (head and chunks alike)
  uint64_t bytes = 0;    // line bytes, from counters
};

// Loki's `aggregateBy`.
enum class VolumeAggregation {
  // Default. One group per distinct restriction of the stream labels to the target labels (or,
  // without targets, to the label names the matchers use).
  kSeries,
  // One group per label name; a stream's volume counts toward each of its label names (only
  // the target labels, if given). Loki renders the group as {"<name>": ""}.
  kLabels,
};

// One group of /index/volume.
struct VolumeItem {
  Labels labels;           // kSeries: the group's labels
  std::string label_name;  // kLabels: the label name (labels empty)
  uint64_t bytes = 0;
  uint64_t entries = 0;
};

// One point of /index/volume_range (see Index::VolumeRange for the step alignment).
struct VolumePoint {
  int64_t ts_ns = 0;
  uint64_t bytes = 0;
  uint64_t entries = 0;
};

struct VolumeSeries {
  Labels labels;           // as VolumeItem
  std::string label_name;  // as VolumeItem
  uint64_t bytes = 0;      // total over all points (the top-`limit` ranking key)
  uint64_t entries = 0;
  std::vector<VolumePoint> points;  // ascending ts, only non-empty steps
};

// Parameters of a volume query (Loki's /index/volume and /index/volume_range).
struct VolumeRequest {
  Matchers matchers;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  // Group by these labels; if empty, by the label names used in `matchers` (Loki's rule).
  // Each target label the matchers do not name adds a `=~".+"` matcher (Loki's rule), so
  // streams lacking a target label are not counted.
  std::vector<std::string> target_labels;
  VolumeAggregation aggregate_by = VolumeAggregation::kSeries;
  size_t limit = 100;  // top groups by bytes (ties: by rendered labels); 0 = no limit
};

class Index {
 public:
  static Result<std::unique_ptr<Index>> Open(IndexOptions options);

  // Flushes pending counters if options.flush_on_close (errors are ignored: call Flush() first
  // to see them).
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Records that stream (tenant, fp, labels) received `entries` entries totalling `bytes` line
  // bytes at `ts_ns` (registers it in ts's day bucket, adds to ts's counter bucket).
  // Cheap when the stream is already registered for that day (an in-memory lookup); counters
  // are accumulated in memory and written in batches. Idempotent for registration.
  // REQUIRES: fp == labels.Hash() (or any fixed per-label-set id the caller uses consistently).
  Status AddStream(std::string_view tenant, uint64_t fp, const Labels& labels, int64_t ts_ns,
                   uint64_t entries, uint64_t bytes);

  // Records a flushed chunk. Durable (sync write) when it returns OK.
  Status AddChunk(const ChunkRef& ref);

  // Streams (sorted by fp) that match all `matchers` and were active on a day overlapping
  // [start_ns, end_ns). Semantics as Loki/Prometheus: a matcher that matches "" also selects
  // streams lacking the label. Empty `matchers`: every stream in range.
  Result<std::vector<StreamRecord>> SelectStreams(std::string_view tenant, const Matchers& matchers,
                                                  int64_t start_ns, int64_t end_ns);

  // Sorted, distinct label names of streams in range; with a non-empty `filter`, only of
  // streams matching it.
  Result<std::vector<std::string>> LabelNames(std::string_view tenant, int64_t start_ns,
                                              int64_t end_ns, const Matchers& filter);

  // Sorted, distinct values of label `name` of streams in range (matching `filter` if given).
  Result<std::vector<std::string>> LabelValues(std::string_view tenant, std::string_view name,
                                               int64_t start_ns, int64_t end_ns,
                                               const Matchers& filter);

  // Chunk refs of stream fp overlapping [start_ns, end_ns) (through >= start, from < end),
  // sorted by through_ns.
  Result<std::vector<ChunkRef>> Chunks(std::string_view tenant, uint64_t fp, int64_t start_ns,
                                       int64_t end_ns);

  Result<IndexStats> Stats(std::string_view tenant, const Matchers& matchers, int64_t start_ns,
                           int64_t end_ns);

  // Loki's /index/volume: the volume of streams matching `req.matchers` with entries in counter
  // buckets overlapping [start_ns, end_ns), grouped as `req.aggregate_by` says, top `limit`
  // by bytes (descending; ties by labels / name ascending).
  Result<std::vector<VolumeItem>> Volume(std::string_view tenant, const VolumeRequest& req);
  // Positional form of the above.
  Result<std::vector<VolumeItem>> Volume(std::string_view tenant, const Matchers& matchers,
                                         int64_t start_ns, int64_t end_ns,
                                         const std::vector<std::string>& target_labels,
                                         VolumeAggregation aggregate_by, size_t limit);

  // Loki's /index/volume_range: as Volume, with each group's volume split into steps. Step k
  // covers [start + k*step, start + (k+1)*step) and is reported at ts_ns = start + (k+1)*step
  // (aligned to step ends, as Loki); a counter bucket counts in the step holding its start
  // (clamped to the range). The ranking and `limit` use the totals. REQUIRES: step_ns > 0.
  Result<std::vector<VolumeSeries>> VolumeRange(std::string_view tenant, const VolumeRequest& req,
                                                int64_t step_ns);

  // Persists pending counters (sync write). `watermark` is an opaque number stored with them
  // (e.g. the WAL position whose entries have all been passed to AddStream); after a restart,
  // flushed_watermark() returns the last one stored, so a WAL replay can pass entries=0,
  // bytes=0 for records at or below it and avoid counting them twice.
  Status Flush(uint64_t watermark = 0);
  uint64_t flushed_watermark() const;

  // The counter bucket width in use (from the database).
  int64_t counter_bucket_ns() const;

 private:
  class Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::index
