// Storage: the server's facade over chunks::Store (WAL + heads + chunks) and index::Index
// (LevelDB labels/postings/counters). It is the only place that knows both, and the edge
// through which ingest/ writes (ingest::Appender) and logql/ reads (logql::Querier).
//
//   StorageOptions opts; opts.dir = "./data";
//   SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Storage> storage, Storage::Open(std::move(opts)));
//   ingest::PushHandler push(push_options, storage.get());
//   logql::Engine engine(storage.get(), engine_options);
//   ...
//   SLUICE_RETURN_IF_ERROR(storage->Close());  // flush heads and index on clean shutdown
//
// Tenants are isolated everywhere: every call takes the tenant, and both stores key by it.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chunks/store.h"
#include "common/labels.h"
#include "common/matcher.h"
#include "index/index.h"
#include "ingest/appender.h"
#include "logql/querier.h"

namespace sluice::server {

struct StorageOptions {
  std::string dir;             // data directory; chunks/WAL under it, index in dir/index
  chunks::StoreOptions store;  // dir and observer are set by Open
  index::IndexOptions index;   // path is set by Open
};

class Storage final : public ingest::Appender, public logql::Querier {
 public:
  // Creates `dir` if needed, checks it is writable, opens the index and then the store
  // (replaying the WAL; streams found there are registered in the index).
  static Result<std::unique_ptr<Storage>> Open(StorageOptions options);
  ~Storage() override;

  // ingest::Appender: durable append (WAL group commit), then index registration + counters.
  Status Append(std::string_view tenant, const std::vector<ingest::PushStream>& streams,
                ingest::AppendReport* report) override;

  // logql::Querier: streams from the index matching the selector, one iterator each over
  // head and chunks (line filter applied per stream), merged in time order.
  Result<std::unique_ptr<EntryIterator>> SelectLogs(const logql::SelectLogsParams& p) override;

  // Streams of `tenant` matching `matchers` (empty: all) with data on a day overlapping
  // [start, end), sorted by labels. These three answer from the index alone (no walk of the
  // store's streams, no store lock): it holds every day of every entry, head data included
  // (see Storage::Observer in storage.cc).
  Result<std::vector<Labels>> Series(std::string_view tenant, const Matchers& matchers,
                                     int64_t start_ns, int64_t end_ns);
  Result<std::vector<std::string>> LabelNames(std::string_view tenant, const Matchers& matchers,
                                              int64_t start_ns, int64_t end_ns);
  Result<std::vector<std::string>> LabelValues(std::string_view tenant, std::string_view name,
                                               const Matchers& matchers, int64_t start_ns,
                                               int64_t end_ns);

  index::Index* index() { return index_.get(); }

  chunks::Store* store() { return store_.get(); }

  // Flushes every head into chunks and persists index counters. Further calls are no-ops.
  Status Close();

  // Persists the index counters with the WAL position they cover (see "Counters" in
  // storage.cc). Called every `kCounterFlushInterval` by Append, before WAL segments are
  // deleted, after Open's replay and by Close.
  Status FlushCounters();

 private:
  class Observer;

  struct StreamRef {
    uint64_t fp;
    Labels labels;
  };

  Storage() = default;
  // Matching streams from the index (sorted by fingerprint).
  Result<std::vector<StreamRef>> MatchingStreams(std::string_view tenant, const Matchers& matchers,
                                                 int64_t start_ns, int64_t end_ns);
  // Counts accepted entries into the index's per-bucket counters.
  void CountEntries(std::string_view tenant, uint64_t fp, const Labels& labels,
                    std::span<const OwnedEntry> entries,
                    std::span<const std::pair<size_t, size_t>> skip, size_t stream_index);

  // Appends count under a shared hold; FlushCounters takes it exclusively, so the counters it
  // persists cover exactly the WAL up to the position it stores. Writers go first.
  class CountGate {
   public:
    void LockShared();
    void UnlockShared();
    void Lock();
    void Unlock();

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    int readers_ = 0;
    int writers_waiting_ = 0;
    bool writer_ = false;
  };

  std::unique_ptr<Observer> observer_;
  CountGate count_gate_;
  std::mutex counter_flush_mu_;
  std::atomic<int64_t> last_counter_flush_ns_{0};
  std::unique_ptr<index::Index> index_;
  std::unique_ptr<chunks::Store> store_;
  std::mutex close_mu_;
  bool closed_ = false;
};

}  // namespace sluice::server
