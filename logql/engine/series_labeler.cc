#include "logql/engine/series_labeler.h"

#include <algorithm>
#include <string_view>

namespace sluice::logql::engine {

namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

void HashBytes(std::string_view s, uint64_t* h) {
  for (unsigned char c : s) {
    *h ^= c;
    *h *= kFnvPrime;
  }
}

void HashLabel(std::string_view name, std::string_view value, uint64_t* h) {
  HashBytes(name, h);
  *h ^= 0xff;
  *h *= kFnvPrime;
  HashBytes(value, h);
  *h ^= 0xfe;
  *h *= kFnvPrime;
}

// splitmix64 finaliser: spreads FNV's weak low bits.
uint64_t Finish(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace

SeriesLabeler::SeriesLabeler(std::vector<std::string> groups, bool without, bool no_labels)
    : groups_(std::move(groups)), without_(without), no_labels_(no_labels) {
  std::sort(groups_.begin(), groups_.end());
  groups_.erase(std::unique(groups_.begin(), groups_.end()), groups_.end());
}

bool SeriesLabeler::Keeps(std::string_view name) const {
  if (groups_.empty())
    return true;
  const bool listed = std::binary_search(groups_.begin(), groups_.end(), name);
  return listed != without_;
}

uint64_t SeriesLabeler::Key(const log::LabelsBuilder& lb) const {
  uint64_t h = kFnvOffset;
  const bool err = lb.HasError();
  if (!err && no_labels_)
    return Finish(h);
  if (!err && !without_ && !groups_.empty()) {
    for (const std::string& g : groups_) {
      std::string_view v = lb.GetOrEmpty(g);
      if (!v.empty())
        HashLabel(g, v, &h);
    }
    return Finish(h);
  }
  lb.ForEachSorted([&](std::string_view n, std::string_view v) {
    if (!v.empty() && (err || Keeps(n)))
      HashLabel(n, v, &h);
  });
  return Finish(h);
}

sluice::Labels SeriesLabeler::LabelsOf(const log::LabelsBuilder& lb) const {
  const bool err = lb.HasError();
  if (!err && no_labels_)
    return sluice::Labels();
  std::vector<Label> out;
  lb.ForEachSorted([&](std::string_view n, std::string_view v) {
    if (!v.empty() && (err || Keeps(n)))
      out.push_back(Label{std::string(n), std::string(v)});
  });
  return sluice::Labels(std::move(out));
}

}  // namespace sluice::logql::engine
