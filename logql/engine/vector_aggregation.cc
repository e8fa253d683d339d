#include "logql/engine/vector_aggregation.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace sluice::logql::engine {

using syntax::VectorOp;

namespace {

bool Contains(const std::vector<std::string>& names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// Running aggregate of one group at one step (Loki's groupedAggregation).
struct Group {
  double value = 0;
  double mean = 0;
  int64_t count = 0;
};

void Fold(VectorOp op, double v, Group* g) {
  if (g->count == 0) {
    g->count = 1;
    g->mean = v;
    g->value = (op == VectorOp::kStddev || op == VectorOp::kStdvar) ? 0.0 : v;
    return;
  }
  switch (op) {
    case VectorOp::kSum:
      g->value += v;
      break;
    case VectorOp::kAvg:
      ++g->count;
      if (std::isinf(g->mean)) {
        if (std::isinf(v) && (g->mean > 0) == (v > 0))
          break;
        if (!std::isinf(v) && !std::isnan(v))
          break;
      }
      g->mean += (v - g->mean) / static_cast<double>(g->count);
      break;
    case VectorOp::kMax:
      if (g->value < v || std::isnan(g->value))
        g->value = v;
      break;
    case VectorOp::kMin:
      if (g->value > v || std::isnan(g->value))
        g->value = v;
      break;
    case VectorOp::kCount:
      ++g->count;
      break;
    case VectorOp::kStddev:
    case VectorOp::kStdvar: {
      ++g->count;
      const double delta = v - g->mean;
      g->mean += delta / static_cast<double>(g->count);
      g->value += delta * (v - g->mean);
      break;
    }
    default:
      break;
  }
}

double Final(VectorOp op, const Group& g) {
  switch (op) {
    case VectorOp::kAvg:
      return g.mean;
    case VectorOp::kCount:
      return static_cast<double>(g.count);
    case VectorOp::kStddev:
      return std::sqrt(g.value / static_cast<double>(g.count));
    case VectorOp::kStdvar:
      return g.value / static_cast<double>(g.count);
    default:
      return g.value;
  }
}

bool KeepsSeries(VectorOp op) {
  return op == VectorOp::kTopK || op == VectorOp::kBottomK || op == VectorOp::kApproxTopK ||
         op == VectorOp::kSort || op == VectorOp::kSortDesc;
}

// Orders a group's samples as Loki's heaps leave them: descending for topk / sort_desc,
// ascending for bottomk / sort, NaN last either way; ties keep input order.
void OrderSamples(VectorOp op, std::vector<StepSample>* v) {
  const bool desc =
      op == VectorOp::kTopK || op == VectorOp::kApproxTopK || op == VectorOp::kSortDesc;
  std::stable_sort(v->begin(), v->end(), [desc](const StepSample& a, const StepSample& b) {
    const bool an = std::isnan(a.value), bn = std::isnan(b.value);
    if (an || bn)
      return !an && bn;
    return desc ? a.value > b.value : a.value < b.value;
  });
}

}  // namespace

Labels GroupLabels(const Labels& labels, const std::optional<syntax::Grouping>& grouping) {
  if (!grouping.has_value())
    return Labels();
  std::vector<Label> out;
  for (const Label& l : labels) {
    if (Contains(grouping->labels, l.name) != grouping->without)
      out.push_back(l);
  }
  return Labels(std::move(out));
}

StepMatrix AggregateVector(VectorOp op, const std::optional<syntax::Grouping>& grouping,
                           std::optional<int64_t> k, const StepMatrix& in) {
  StepMatrix out(static_cast<int64_t>(in.steps.size()));
  // Group of each input series, computed once.
  SeriesTable groups;
  std::vector<uint32_t> group_of(in.table.size());
  for (uint32_t id = 0; id < in.table.size(); ++id) {
    group_of[id] = groups.Intern(GroupLabels(in.table.at(id), grouping));
  }

  if (KeepsSeries(op)) {
    const bool limited = op != VectorOp::kSort && op != VectorOp::kSortDesc;
    const int64_t limit = limited ? k.value_or(0) : INT64_MAX;
    std::vector<uint32_t> out_id(in.table.size(), UINT32_MAX);
    std::vector<std::vector<StepSample>> per_group(groups.size());
    for (size_t s = 0; s < in.steps.size(); ++s) {
      if (limit < 1)
        continue;
      for (auto& g : per_group)
        g.clear();
      for (const StepSample& x : in.steps[s])
        per_group[group_of[x.series]].push_back(x);
      for (auto& g : per_group) {
        OrderSamples(op, &g);
        const auto n =
            static_cast<size_t>(std::min<int64_t>(limit, static_cast<int64_t>(g.size())));
        for (size_t i = 0; i < n; ++i) {
          uint32_t& id = out_id[g[i].series];
          if (id == UINT32_MAX)
            id = out.table.Intern(in.table.at(g[i].series));
          out.steps[s].push_back({id, g[i].value});
        }
      }
    }
    return out;
  }

  std::vector<uint32_t> out_id(groups.size(), UINT32_MAX);
  std::vector<Group> acc(groups.size());
  std::vector<uint32_t> touched;
  for (size_t s = 0; s < in.steps.size(); ++s) {
    touched.clear();
    for (const StepSample& x : in.steps[s]) {
      const uint32_t g = group_of[x.series];
      if (acc[g].count == 0)
        touched.push_back(g);
      Fold(op, x.value, &acc[g]);
    }
    for (uint32_t g : touched) {
      uint32_t& id = out_id[g];
      if (id == UINT32_MAX)
        id = out.table.Intern(groups.at(g));
      out.steps[s].push_back({id, Final(op, acc[g])});
      acc[g] = Group{};
    }
  }
  return out;
}

}  // namespace sluice::logql::engine
