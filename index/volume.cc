// Stats and volume: counters of matching streams summed over the counter buckets that overlap
// the query range, plus chunk counts from the chunk references.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include <leveldb/db.h>

#include "index/index.h"
#include "index/index_impl.h"
#include "index/key_format.h"
#include "index/leveldb_util.h"

namespace sluice::index {

namespace {

// Calls fn(bucket, i, entries, bytes) for every counter bucket of stream fps[i] that overlaps
// [start_ns, end_ns), in ascending bucket order per stream. `pending` (counters not written
// yet, by key) takes the place of the stored value of the same key.
Status ScanCounters(
    leveldb::Iterator* it, std::string_view tenant, int64_t bucket_ns, int64_t start_ns,
    int64_t end_ns, const Postings& fps,
    const std::map<std::string, std::vector<keys::SlotCounts>, std::less<>>& pending,
    const std::function<void(int64_t, size_t, uint64_t, uint64_t)>& fn) {
  if (end_ns <= start_ns || fps.empty()) {
    return Status::Ok();
  }
  const int64_t first_bucket = keys::FloorDiv(start_ns, bucket_ns);
  const int64_t last_bucket = keys::FloorDiv(end_ns - 1, bucket_ns);
  const int64_t last_day = keys::DayOf(end_ns - 1);
  const int64_t slots_per_day = keys::kNanosPerDay / bucket_ns;
  const std::string prefix = keys::TenantPrefix(keys::kCounter, tenant);
  std::string seek = prefix;
  keys::AppendInt64(&seek, keys::DayOf(start_ns));
  std::vector<keys::SlotCounts> stored;
  constexpr int kStepsBeforeSeek = 8;
  int unwanted_run = 0;  // consecutive database keys of streams not in fps
  auto next_pending = pending.lower_bound(seek);
  it->Seek(seek);
  while (true) {
    const bool db = InPrefix(it, prefix);
    const bool mem =
        next_pending != pending.end() && next_pending->first.compare(0, prefix.size(), prefix) == 0;
    if (!db && !mem) {
      break;
    }
    // The smaller key of the two sources; the pending value wins on equal keys.
    std::string_view key;
    const std::vector<keys::SlotCounts>* slots;
    if (mem && (!db || std::string_view(next_pending->first) <= ToView(it->key()))) {
      key = next_pending->first;
      slots = &next_pending->second;
      if (db && key == ToView(it->key())) {
        it->Next();
      }
      ++next_pending;
    } else {
      key = ToView(it->key());
      slots = nullptr;
    }
    std::string_view rest = key.substr(prefix.size());
    int64_t day;
    uint64_t fp;
    if (!keys::ConsumeInt64(&rest, &day) || !keys::ConsumeUint64(&rest, &fp)) {
      return CorruptionError("index: bad counter key");
    }
    if (day > last_day) {
      break;
    }
    auto pos = std::lower_bound(fps.begin(), fps.end(), fp);
    const bool wanted = pos != fps.end() && *pos == fp;
    if (slots == nullptr) {
      if (!wanted) {
        // A few steps, then one seek to the next wanted stream of the day (or the next day),
        // so a selective query does not read every counter key of the day.
        // (day <= last_day, so day + 1 does not overflow.)
        if (++unwanted_run < kStepsBeforeSeek) {
          it->Next();
          continue;
        }
        unwanted_run = 0;
        std::string target = prefix;
        keys::AppendInt64(&target, pos != fps.end() ? day : day + 1);
        if (pos != fps.end()) {
          keys::AppendUint64(&target, *pos);
        }
        it->Seek(target);
        continue;
      }
      unwanted_run = 0;
      if (!keys::DecodeSlots(ToView(it->value()), &stored)) {
        return CorruptionError("index: bad counter value");
      }
      slots = &stored;
      it->Next();
    }
    if (!wanted) {
      continue;  // `pending` holds only wanted streams, but keep the rule in one place
    }
    const auto i = static_cast<size_t>(pos - fps.begin());
    for (const keys::SlotCounts& s : *slots) {
      const int64_t bucket = day * slots_per_day + s.slot;
      if (bucket >= first_bucket && bucket <= last_bucket) {
        fn(bucket, i, s.entries, s.bytes);
      }
    }
  }
  return FromLevelDb(it->status(), "scan counters");
}

// Loki's PrepareLabelsAndMatchers: the label names to group by, and the matchers extended with
// `target=~".+"` for each target label the selector does not name.
Result<std::set<std::string>> PrepareGrouping(const VolumeRequest& req, Matchers* matchers) {
  std::set<std::string> by;
  *matchers = req.matchers;
  if (req.target_labels.empty()) {
    for (const auto& m : req.matchers) {
      by.insert(m.name());
    }
    return by;
  }
  for (const auto& t : req.target_labels) {
    by.insert(t);
    bool named = std::any_of(req.matchers.begin(), req.matchers.end(),
                             [&](const LabelMatcher& m) { return m.name() == t; });
    if (named) {
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(LabelMatcher m, LabelMatcher::Make(MatchType::kRegex, t, ".+"));
    matchers->push_back(std::move(m));
  }
  return by;
}

struct Group {
  VolumeSeries series;
  std::map<int64_t, VolumePoint> points;  // by timestamp
};

}  // namespace

// Leapfrogs between the sorted fps and the chunk keys (sorted by fp, then through): one seek per
// stream that has chunks, and streams without any are skipped in bulk.
Result<uint64_t> Index::Impl::CountChunks(leveldb::Iterator* it, std::string_view tenant,
                                          const Postings& fps, int64_t start_ns, int64_t end_ns) {
  const std::string prefix = keys::TenantPrefix(keys::kChunk, tenant);
  const int64_t span = max_chunk_span_.load();
  uint64_t n = 0;
  auto target = fps.begin();
  while (target != fps.end()) {
    std::string seek = prefix;
    keys::AppendUint64(&seek, *target);
    keys::AppendInt64(&seek, start_ns);
    it->Seek(seek);
    uint64_t fp = 0;
    while (InPrefix(it, prefix)) {
      std::string_view rest = KeyRest(it->key(), prefix.size());
      int64_t through, from;
      if (!keys::ConsumeUint64(&rest, &fp) || !keys::ConsumeInt64(&rest, &through) ||
          !keys::ConsumeInt64(&rest, &from)) {
        return CorruptionError("index: bad chunk key");
      }
      if (fp != *target || through - span >= end_ns) {
        break;  // another stream, or no later chunk of this one can start before end_ns
      }
      if (from < end_ns) {
        ++n;
      }
      it->Next();
    }
    SLUICE_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan chunks"));
    if (!InPrefix(it, prefix)) {
      break;  // no chunks of any later stream
    }
    // The iterator stopped on stream `fp` >= *target: continue with the first wanted stream
    // after *target and not before fp.
    target = std::lower_bound(target + 1, fps.end(), fp);
  }
  return n;
}

Result<IndexStats> Index::Impl::Stats(std::string_view tenant, const Matchers& matchers,
                                      int64_t start_ns, int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(Postings fps, SelectFps(tenant, matchers, start_ns, end_ns));
  IndexStats stats;
  stats.streams = fps.size();
  // Our own pending counters are read from memory: writing them here would persist counts
  // beyond the caller's watermark (see Flush). Taken with the iterator (a LevelDB snapshot)
  // while no flush is in flight, so every counter is in exactly one of the two.
  PendingCounters pending;
  std::unique_ptr<leveldb::Iterator> it = SnapshotCounters(tenant, fps, &pending);
  SLUICE_RETURN_IF_ERROR(ScanCounters(it.get(), tenant, bucket_ns_, start_ns, end_ns, fps, pending,
                                      [&](int64_t, size_t, uint64_t entries, uint64_t bytes) {
                                        stats.entries += entries;
                                        stats.bytes += bytes;
                                      }));
  SLUICE_ASSIGN_OR_RETURN(stats.chunks, CountChunks(it.get(), tenant, fps, start_ns, end_ns));
  return stats;
}

Result<std::vector<VolumeSeries>> Index::Impl::VolumeSeriesFor(std::string_view tenant,
                                                               const VolumeRequest& req,
                                                               int64_t step_ns) {
  if (req.end_ns <= req.start_ns) {
    return std::vector<VolumeSeries>{};
  }
  Matchers matchers;
  SLUICE_ASSIGN_OR_RETURN(std::set<std::string> by, PrepareGrouping(req, &matchers));
  SLUICE_ASSIGN_OR_RETURN(Postings fps, SelectFps(tenant, matchers, req.start_ns, req.end_ns));

  // Per stream (index into fps): its non-empty steps, ascending (buckets arrive in order).
  const int64_t step = step_ns > 0 ? step_ns : req.end_ns - req.start_ns;
  const int64_t last_step = (req.end_ns - req.start_ns - 1) / step;
  std::vector<std::vector<VolumePoint>> per_stream(fps.size());
  PendingCounters pending;  // as in Stats
  std::unique_ptr<leveldb::Iterator> it = SnapshotCounters(tenant, fps, &pending);
  SLUICE_RETURN_IF_ERROR(
      ScanCounters(it.get(), tenant, bucket_ns_, req.start_ns, req.end_ns, fps, pending,
                   [&](int64_t bucket, size_t i, uint64_t entries, uint64_t bytes) {
                     if (entries == 0 && bytes == 0) {
                       return;
                     }
                     const int64_t bucket_start = std::max(bucket * bucket_ns_, req.start_ns);
                     const int64_t k = std::min((bucket_start - req.start_ns) / step, last_step);
                     const int64_t ts = req.start_ns + (k + 1) * step;
                     std::vector<VolumePoint>& points = per_stream[i];
                     if (points.empty() || points.back().ts_ns != ts) {
                       points.push_back(VolumePoint{ts, 0, 0});
                     }
                     points.back().entries += entries;
                     points.back().bytes += bytes;
                   }));

  std::unordered_map<std::string, Group> groups;
  auto add = [&](std::string key, Labels labels, std::string name,
                 const std::vector<VolumePoint>& points) {
    auto [pos, inserted] = groups.try_emplace(std::move(key));
    Group& g = pos->second;
    if (inserted) {
      g.series.labels = std::move(labels);
      g.series.label_name = std::move(name);
    }
    for (const VolumePoint& p : points) {
      VolumePoint& gp = g.points[p.ts_ns];
      gp.ts_ns = p.ts_ns;
      gp.entries += p.entries;
      gp.bytes += p.bytes;
      g.series.entries += p.entries;
      g.series.bytes += p.bytes;
    }
  };
  for (size_t i = 0; i < fps.size(); ++i) {
    if (per_stream[i].empty()) {
      continue;  // no entries in range (Loki skips these too)
    }
    SLUICE_ASSIGN_OR_RETURN(Labels labels, GetLabels(tenant, fps[i]));
    if (req.aggregate_by == VolumeAggregation::kLabels) {
      for (const auto& l : labels) {
        if (req.target_labels.empty() || by.contains(l.name)) {
          add(l.name, Labels(), l.name, per_stream[i]);
        }
      }
      continue;
    }
    std::vector<Label> kept;
    for (const auto& l : labels) {
      if (by.contains(l.name)) {
        kept.push_back(l);
      }
    }
    Labels group_labels(std::move(kept));
    std::string key = group_labels.ToString();
    add(std::move(key), std::move(group_labels), "", per_stream[i]);
  }

  std::vector<std::pair<std::string, VolumeSeries>> ranked;
  ranked.reserve(groups.size());
  for (auto& [key, g] : groups) {
    for (auto& [k, p] : g.points) {
      g.series.points.push_back(p);
    }
    ranked.emplace_back(key, std::move(g.series));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second.bytes != b.second.bytes) {
      return a.second.bytes > b.second.bytes;
    }
    return a.first < b.first;
  });
  if (req.limit != 0 && ranked.size() > req.limit) {
    ranked.resize(req.limit);
  }
  std::vector<VolumeSeries> out;
  out.reserve(ranked.size());
  for (auto& [key, s] : ranked) {
    out.push_back(std::move(s));
  }
  return out;
}

Result<IndexStats> Index::Stats(std::string_view tenant, const Matchers& matchers, int64_t start_ns,
                                int64_t end_ns) {
  return impl_->Stats(tenant, matchers, start_ns, end_ns);
}

Result<std::vector<VolumeItem>> Index::Volume(std::string_view tenant, const VolumeRequest& req) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<VolumeSeries> series, impl_->VolumeSeriesFor(tenant, req, 0));
  std::vector<VolumeItem> out;
  out.reserve(series.size());
  for (auto& s : series) {
    out.push_back(VolumeItem{std::move(s.labels), std::move(s.label_name), s.bytes, s.entries});
  }
  return out;
}

Result<std::vector<VolumeItem>> Index::Volume(std::string_view tenant, const Matchers& matchers,
                                              int64_t start_ns, int64_t end_ns,
                                              const std::vector<std::string>& target_labels,
                                              VolumeAggregation aggregate_by, size_t limit) {
  VolumeRequest req;
  req.matchers = matchers;
  req.start_ns = start_ns;
  req.end_ns = end_ns;
  req.target_labels = target_labels;
  req.aggregate_by = aggregate_by;
  req.limit = limit;
  return Volume(tenant, req);
}

Result<std::vector<VolumeSeries>> Index::VolumeRange(std::string_view tenant,
                                                     const VolumeRequest& req, int64_t step_ns) {
  if (step_ns <= 0) {
    return InvalidArgumentError("index: volume step must be positive");
  }
  return impl_->VolumeSeriesFor(tenant, req, step_ns);
}

}  // namespace sluice::index
