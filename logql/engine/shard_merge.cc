#include "logql/engine/shard_merge.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sluice::logql::engine {

using syntax::RangeOp;

bool ShardMergeable(RangeOp op) {
  switch (op) {
    case RangeOp::kCountOverTime:
    case RangeOp::kRate:
    case RangeOp::kBytesOverTime:
    case RangeOp::kBytesRate:
    case RangeOp::kSumOverTime:
    case RangeOp::kMinOverTime:
    case RangeOp::kMaxOverTime:
      return true;
    default:
      return false;
  }
}

namespace {

// Folds `v` into `acc` as `op` combines two shards' values of one window.
void Combine(RangeOp op, double v, double* acc) {
  switch (op) {
    case RangeOp::kMinOverTime:
      if (v < *acc || std::isnan(*acc))
        *acc = v;
      break;
    case RangeOp::kMaxOverTime:
      if (v > *acc || std::isnan(*acc))
        *acc = v;
      break;
    default:
      *acc += v;
  }
}

}  // namespace

StepMatrix MergeShards(RangeOp op, std::vector<StepMatrix> parts) {
  StepMatrix out = std::move(parts.front());
  std::vector<int64_t> pos;  // series id -> index in the current step, or -1
  for (size_t p = 1; p < parts.size(); ++p) {
    const StepMatrix& part = parts[p];
    std::vector<uint32_t> remap(part.table.size());
    for (uint32_t id = 0; id < part.table.size(); ++id)
      remap[id] = out.table.Intern(part.table.at(id));
    pos.assign(out.table.size(), -1);
    for (size_t k = 0; k < out.steps.size(); ++k) {
      std::vector<StepSample>& dst = out.steps[k];
      if (part.steps[k].empty())
        continue;
      for (size_t i = 0; i < dst.size(); ++i)
        pos[dst[i].series] = static_cast<int64_t>(i);
      bool appended = false;
      for (const StepSample& s : part.steps[k]) {
        const uint32_t id = remap[s.series];
        if (pos[id] >= 0) {
          Combine(op, s.value, &dst[static_cast<size_t>(pos[id])].value);
        } else {
          pos[id] = static_cast<int64_t>(dst.size());
          dst.push_back({id, s.value});
          appended = true;
        }
      }
      for (const StepSample& s : dst)
        pos[s.series] = -1;
      if (appended) {
        std::sort(dst.begin(), dst.end(),
                  [](const StepSample& a, const StepSample& b) { return a.series < b.series; });
      }
    }
  }
  return out;
}

}  // namespace sluice::logql::engine
