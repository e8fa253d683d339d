// Selector evaluation: matchers -> postings per day bucket (Prometheus' PostingsForMatchers
// rules), and the label name / value queries.
#include <algorithm>
#include <functional>
#include <limits>

#include <leveldb/db.h>

#include "index/index.h"
#include "index/index_impl.h"
#include "index/key_format.h"
#include "index/leveldb_util.h"

namespace sluice::index {

namespace {

Status IterStatus(leveldb::Iterator* it) {
  return FromLevelDb(it->status(), "scan");
}

std::string DayPrefix(char type, std::string_view tenant, int64_t day) {
  std::string k = keys::TenantPrefix(type, tenant);
  keys::AppendInt64(&k, day);
  return k;
}

// Calls fn(day) for each day bucket overlapping [start_ns, end_ns) on which some stream of the
// tenant was active (found with one seek per such day, so empty days cost nothing).
Status ForEachDay(leveldb::Iterator* it, std::string_view tenant, int64_t start_ns, int64_t end_ns,
                  const std::function<Status(int64_t)>& fn) {
  if (end_ns <= start_ns) {
    return Status::Ok();
  }
  const int64_t last = keys::DayOf(end_ns - 1);
  const std::string prefix = keys::TenantPrefix(keys::kDayStream, tenant);
  for (int64_t d = keys::DayOf(start_ns); d <= last;) {
    std::string seek = prefix;
    keys::AppendInt64(&seek, d);
    it->Seek(seek);
    if (!InPrefix(it, prefix)) {
      break;
    }
    std::string_view rest = KeyRest(it->key(), prefix.size());
    int64_t day;
    if (!keys::ConsumeInt64(&rest, &day)) {
      return CorruptionError("index: bad day key");
    }
    if (day > last) {
      break;
    }
    SLUICE_RETURN_IF_ERROR(fn(day));
    if (day == std::numeric_limits<int64_t>::max()) {
      break;
    }
    d = day + 1;
  }
  return IterStatus(it);
}

// Reads postings of one day through a single iterator.
class DayReader {
 public:
  DayReader(leveldb::Iterator* it, std::string_view tenant, int64_t day)
      : it_(it), tenant_(tenant), day_(day) {}

  // Every stream active on the day.
  Result<Postings> All() { return Fingerprints(DayPrefix(keys::kDayStream, tenant_, day_)); }

  // Streams whose label `name` has exactly `value`.
  Result<Postings> Value(std::string_view name, std::string_view value) {
    std::string prefix = DayPrefix(keys::kPosting, tenant_, day_);
    keys::AppendString(&prefix, name);
    keys::AppendString(&prefix, value);
    return Fingerprints(prefix);
  }

  // Union of Value(name, v) over the given values.
  Result<Postings> Values(std::string_view name, const std::vector<std::string>& values) {
    Postings out;
    for (const auto& v : values) {
      if (v.empty()) {
        continue;  // empty values are never stored
      }
      SLUICE_ASSIGN_OR_RETURN(Postings p, Value(name, v));
      out = Union(out, p);
    }
    return out;
  }

  // Streams having label `name` with a value for which pred(value) holds. pred runs once per
  // distinct value; the fingerprints of a rejected value are skipped with one seek.
  Result<Postings> Scan(std::string_view name, const std::function<bool(std::string_view)>& pred) {
    std::string prefix = DayPrefix(keys::kPosting, tenant_, day_);
    keys::AppendString(&prefix, name);
    Postings out;
    std::string value;
    it_->Seek(prefix);
    while (InPrefix(it_, prefix)) {
      std::string_view rest = KeyRest(it_->key(), prefix.size());
      if (!keys::ConsumeString(&rest, &value)) {
        return CorruptionError("index: bad posting key");
      }
      if (!pred(value)) {
        std::string value_prefix = prefix;
        keys::AppendString(&value_prefix, value);
        it_->Seek(keys::SkipPast(value_prefix, 8));
        continue;
      }
      // Collect every fingerprint of this value.
      const size_t value_end = it_->key().size() - rest.size();
      const std::string value_prefix(it_->key().data(), value_end);
      for (; InPrefix(it_, value_prefix); it_->Next()) {
        std::string_view fp_bytes = KeyRest(it_->key(), value_prefix.size());
        uint64_t fp;
        if (!keys::ConsumeUint64(&fp_bytes, &fp)) {
          return CorruptionError("index: bad posting key");
        }
        out.push_back(fp);
      }
    }
    SLUICE_RETURN_IF_ERROR(IterStatus(it_));
    Normalize(&out);
    return out;
  }

  // Streams with a value of m.name() that m accepts. REQUIRES: !m.MatchesEmpty().
  Result<Postings> Matching(const LabelMatcher& m) {
    if (m.type() == MatchType::kEqual) {
      return Value(m.name(), m.value());
    }
    if (m.type() == MatchType::kRegex && !m.literal_alternatives().empty()) {
      return Values(m.name(), m.literal_alternatives());
    }
    return Scan(m.name(), [&m](std::string_view v) { return m.Matches(v); });
  }

  // Streams with a value of m.name() that m rejects (the ones an empty-matching matcher
  // removes). REQUIRES: m.MatchesEmpty().
  Result<Postings> Rejected(const LabelMatcher& m) {
    if (m.type() == MatchType::kNotEqual) {
      return Value(m.name(), m.value());
    }
    if (m.type() == MatchType::kNotRegex && !m.literal_alternatives().empty()) {
      return Values(m.name(), m.literal_alternatives());
    }
    return Scan(m.name(), [&m](std::string_view v) { return !m.Matches(v); });
  }

  // Streams matching every matcher: intersect the postings of matchers that do not match ""
  // (or start from all streams), then subtract what the empty-matching ones reject.
  Result<Postings> Select(const Matchers& matchers) {
    std::vector<Postings> positive;
    std::vector<const LabelMatcher*> negative;
    for (const auto& m : matchers) {
      if (m.MatchesEmpty()) {
        negative.push_back(&m);
        continue;
      }
      SLUICE_ASSIGN_OR_RETURN(Postings p, Matching(m));
      if (p.empty()) {
        return Postings{};
      }
      positive.push_back(std::move(p));
    }
    Postings result;
    if (positive.empty()) {
      SLUICE_ASSIGN_OR_RETURN(result, All());
    } else {
      result = IntersectAll(std::move(positive));
    }
    for (const LabelMatcher* m : negative) {
      if (result.empty()) {
        break;
      }
      SLUICE_ASSIGN_OR_RETURN(Postings rejected, Rejected(*m));
      result = Subtract(result, rejected);
    }
    return result;
  }

  // Distinct strings under `type | tenant | day | [name]` keys (label names or values).
  Status Strings(char type, const std::string* name, std::vector<std::string>* out) {
    std::string prefix = DayPrefix(type, tenant_, day_);
    if (name != nullptr) {
      keys::AppendString(&prefix, *name);
    }
    std::string s;
    for (it_->Seek(prefix); InPrefix(it_, prefix); it_->Next()) {
      std::string_view rest = KeyRest(it_->key(), prefix.size());
      if (!keys::ConsumeString(&rest, &s)) {
        return CorruptionError("index: bad label key");
      }
      out->push_back(s);
    }
    return IterStatus(it_);
  }

 private:
  // The fingerprints that end the keys starting with `prefix` (sorted, as stored).
  Result<Postings> Fingerprints(const std::string& prefix) {
    Postings out;
    for (it_->Seek(prefix); InPrefix(it_, prefix); it_->Next()) {
      std::string_view rest = KeyRest(it_->key(), prefix.size());
      uint64_t fp;
      if (!keys::ConsumeUint64(&rest, &fp)) {
        return CorruptionError("index: bad fingerprint in key");
      }
      out.push_back(fp);
    }
    SLUICE_RETURN_IF_ERROR(IterStatus(it_));
    return out;
  }

  leveldb::Iterator* it_;
  std::string_view tenant_;
  int64_t day_;
};

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

Result<Postings> Index::Impl::SelectFps(std::string_view tenant, const Matchers& matchers,
                                        int64_t start_ns, int64_t end_ns) {
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  Postings out;
  SLUICE_RETURN_IF_ERROR(ForEachDay(it.get(), tenant, start_ns, end_ns, [&](int64_t day) {
    DayReader reader(it.get(), tenant, day);
    SLUICE_ASSIGN_OR_RETURN(Postings p, reader.Select(matchers));
    out = out.empty() ? std::move(p) : Union(out, p);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<StreamRecord>> Index::Impl::SelectStreams(std::string_view tenant,
                                                             const Matchers& matchers,
                                                             int64_t start_ns, int64_t end_ns) {
  SLUICE_ASSIGN_OR_RETURN(Postings fps, SelectFps(tenant, matchers, start_ns, end_ns));
  std::vector<StreamRecord> out;
  out.reserve(fps.size());
  for (uint64_t fp : fps) {
    Result<Labels> labels = GetLabels(tenant, fp);
    if (!labels.ok()) {
      if (labels.status().code() == StatusCode::kNotFound) {
        return CorruptionError("index: stream registered for a day but its labels are missing");
      }
      return labels.status();
    }
    out.push_back(StreamRecord{fp, std::move(*labels)});
  }
  return out;
}

Result<std::vector<std::string>> Index::Impl::LabelNames(std::string_view tenant, int64_t start_ns,
                                                         int64_t end_ns, const Matchers& filter) {
  std::vector<std::string> out;
  if (!filter.empty()) {
    SLUICE_ASSIGN_OR_RETURN(auto streams, SelectStreams(tenant, filter, start_ns, end_ns));
    for (const auto& s : streams) {
      for (const auto& l : s.labels) {
        out.push_back(l.name);
      }
    }
  } else {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    SLUICE_RETURN_IF_ERROR(ForEachDay(it.get(), tenant, start_ns, end_ns, [&](int64_t day) {
      return DayReader(it.get(), tenant, day).Strings(keys::kDayName, nullptr, &out);
    }));
  }
  SortUnique(&out);
  return out;
}

Result<std::vector<std::string>> Index::Impl::LabelValues(std::string_view tenant,
                                                          std::string_view name, int64_t start_ns,
                                                          int64_t end_ns, const Matchers& filter) {
  std::vector<std::string> out;
  if (!filter.empty()) {
    SLUICE_ASSIGN_OR_RETURN(auto streams, SelectStreams(tenant, filter, start_ns, end_ns));
    for (const auto& s : streams) {
      std::string_view v = s.labels.Get(name);
      if (!v.empty()) {
        out.emplace_back(v);
      }
    }
  } else {
    const std::string label(name);
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    SLUICE_RETURN_IF_ERROR(ForEachDay(it.get(), tenant, start_ns, end_ns, [&](int64_t day) {
      return DayReader(it.get(), tenant, day).Strings(keys::kDayValue, &label, &out);
    }));
  }
  SortUnique(&out);
  return out;
}

Result<std::vector<StreamRecord>> Index::SelectStreams(std::string_view tenant,
                                                       const Matchers& matchers, int64_t start_ns,
                                                       int64_t end_ns) {
  return impl_->SelectStreams(tenant, matchers, start_ns, end_ns);
}

Result<std::vector<std::string>> Index::LabelNames(std::string_view tenant, int64_t start_ns,
                                                   int64_t end_ns, const Matchers& filter) {
  return impl_->LabelNames(tenant, start_ns, end_ns, filter);
}

Result<std::vector<std::string>> Index::LabelValues(std::string_view tenant, std::string_view name,
                                                    int64_t start_ns, int64_t end_ns,
                                                    const Matchers& filter) {
  return impl_->LabelValues(tenant, name, start_ns, end_ns, filter);
}

}  // namespace sluice::index
