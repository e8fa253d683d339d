#include "logql/engine/binary_op.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sluice::logql::engine {

using syntax::BinaryOp;
using syntax::Cardinality;

namespace {

bool Contains(const std::vector<std::string>& names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

double Arithmetic(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::kAdd:
      return a + b;
    case BinaryOp::kSub:
      return a - b;
    case BinaryOp::kMul:
      return a * b;
    case BinaryOp::kDiv:
      return b == 0 ? std::numeric_limits<double>::quiet_NaN() : a / b;
    case BinaryOp::kMod:
      return b == 0 ? std::numeric_limits<double>::quiet_NaN() : std::fmod(a, b);
    case BinaryOp::kPow:
      return std::pow(a, b);
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

bool Compare(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::kEqual:
      return a == b;
    case BinaryOp::kNotEqual:
      return a != b;
    case BinaryOp::kGreater:
      return a > b;
    case BinaryOp::kGreaterEqual:
      return a >= b;
    case BinaryOp::kLess:
      return a < b;
    case BinaryOp::kLessEqual:
      return a <= b;
    default:
      return false;
  }
}

// Loki's MergeBinOp for one pair: the value to emit, or nullopt when a filtering comparison
// drops it. `keep` is the value a passing filtering comparison returns (the vector's).
std::optional<double> Merge(BinaryOp op, bool filter, double left, double right, double keep) {
  if (!syntax::IsComparison(op))
    return Arithmetic(op, left, right);
  const bool ok = Compare(op, left, right);
  if (!filter)
    return ok ? 1.0 : 0.0;
  if (!ok)
    return std::nullopt;
  return keep;
}

// Loki's matchingSignature: hash of the labels kept by on(...) / left by ignoring(...).
uint64_t Signature(const Labels& l, const syntax::VectorMatching& m) {
  std::vector<Label> kept;
  for (const Label& x : l) {
    if (Contains(m.labels, x.name) == m.on)
      kept.push_back(x);
  }
  return Labels(std::move(kept)).Hash();
}

std::vector<uint64_t> Signatures(const SeriesTable& t, const syntax::VectorMatching& m) {
  std::vector<uint64_t> sigs(t.size());
  for (uint32_t i = 0; i < t.size(); ++i)
    sigs[i] = Signature(t.at(i), m);
  return sigs;
}

// Loki's resultMetric: labels of a vector⊕vector result from the "many" (or left) side `lhs`
// and the "one" side `rhs`.
Labels ResultMetric(const Labels& lhs, const Labels& rhs, const syntax::VectorMatching& m) {
  std::vector<Label> out;
  for (const Label& x : lhs) {
    if (m.card == Cardinality::kOneToOne && Contains(m.labels, x.name) != m.on)
      continue;
    if (Contains(m.include, x.name))
      continue;
    out.push_back(x);
  }
  for (const std::string& name : m.include) {
    std::string_view v = rhs.Get(name);
    if (!v.empty())
      out.push_back(Label{name, std::string(v)});
  }
  return Labels(std::move(out));
}

// Maps series ids of an input table into an output table, lazily.
class IdMap {
 public:
  IdMap(const SeriesTable& in, SeriesTable* out) : in_(in), out_(out), ids_(in.size(), kNone) {}

  uint32_t operator()(uint32_t id) {
    if (ids_[id] == kNone)
      ids_[id] = out_->Intern(in_.at(id));
    return ids_[id];
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  const SeriesTable& in_;
  SeriesTable* out_;
  std::vector<uint32_t> ids_;
};

StepMatrix SetOperation(BinaryOp op, const syntax::VectorMatching& matching, const StepMatrix& lhs,
                        const StepMatrix& rhs) {
  const std::vector<uint64_t> lsig = Signatures(lhs.table, matching);
  const std::vector<uint64_t> rsig = Signatures(rhs.table, matching);
  StepMatrix out(static_cast<int64_t>(lhs.steps.size()));
  IdMap lmap(lhs.table, &out.table), rmap(rhs.table, &out.table);
  std::unordered_set<uint64_t> sigs;
  for (size_t s = 0; s < lhs.steps.size(); ++s) {
    const auto& l = lhs.steps[s];
    const auto& r = rhs.steps[s];
    auto& o = out.steps[s];
    sigs.clear();
    switch (op) {
      case BinaryOp::kAnd:
        if (l.empty() || r.empty())
          break;
        for (const auto& x : r)
          sigs.insert(rsig[x.series]);
        for (const auto& x : l) {
          if (sigs.count(lsig[x.series]))
            o.push_back({lmap(x.series), x.value});
        }
        break;
      case BinaryOp::kUnless:
        for (const auto& x : r)
          sigs.insert(rsig[x.series]);
        for (const auto& x : l) {
          if (!sigs.count(lsig[x.series]))
            o.push_back({lmap(x.series), x.value});
        }
        break;
      default:  // kOr
        for (const auto& x : l) {
          sigs.insert(lsig[x.series]);
          o.push_back({lmap(x.series), x.value});
        }
        for (const auto& x : r) {
          if (!sigs.count(rsig[x.series]))
            o.push_back({rmap(x.series), x.value});
        }
        break;
    }
  }
  return out;
}

}  // namespace

double ApplyScalar(BinaryOp op, double a, double b) {
  if (syntax::IsComparison(op))
    return Compare(op, a, b) ? 1.0 : 0.0;
  return Arithmetic(op, a, b);
}

StepMatrix ApplyScalarVector(BinaryOp op, bool return_bool, double scalar, bool scalar_on_left,
                             const StepMatrix& vec) {
  StepMatrix out(static_cast<int64_t>(vec.steps.size()));
  IdMap map(vec.table, &out.table);
  for (size_t s = 0; s < vec.steps.size(); ++s) {
    for (const StepSample& x : vec.steps[s]) {
      const double l = scalar_on_left ? scalar : x.value;
      const double r = scalar_on_left ? x.value : scalar;
      if (auto v = Merge(op, !return_bool, l, r, x.value)) {
        out.steps[s].push_back({map(x.series), *v});
      }
    }
  }
  return out;
}

Result<StepMatrix> ApplyVectorVector(BinaryOp op, bool return_bool,
                                     const syntax::VectorMatching& matching, const StepMatrix& lhs,
                                     const StepMatrix& rhs) {
  if (syntax::IsSetOperator(op))
    return SetOperation(op, matching, lhs, rhs);
  // One-to-many is many-to-one with the sides swapped; swap back when applying the operator.
  const bool swapped = matching.card == Cardinality::kOneToMany;
  const StepMatrix& many = swapped ? rhs : lhs;
  const StepMatrix& one = swapped ? lhs : rhs;
  const std::vector<uint64_t> msig = Signatures(many.table, matching);
  const std::vector<uint64_t> osig = Signatures(one.table, matching);
  const bool filter = !return_bool;

  StepMatrix out(static_cast<int64_t>(lhs.steps.size()));
  std::unordered_map<uint64_t, uint32_t> result_ids;  // (many id, one id) -> out id
  std::unordered_map<uint64_t, const StepSample*> one_by_sig;
  std::unordered_map<uint64_t, std::unordered_set<uint64_t>> matched;  // sig -> result hashes
  for (size_t s = 0; s < lhs.steps.size(); ++s) {
    one_by_sig.clear();
    matched.clear();
    for (const StepSample& x : one.steps[s]) {
      if (!one_by_sig.emplace(osig[x.series], &x).second) {
        return InvalidArgumentError(std::string("found duplicate series on the ") +
                                    (swapped ? "left" : "right") +
                                    " hand-side;many-to-many matching not allowed: matching "
                                    "labels must be unique on one side");
      }
    }
    for (const StepSample& x : many.steps[s]) {
      const uint64_t sig = msig[x.series];
      auto it = one_by_sig.find(sig);
      if (it == one_by_sig.end())
        continue;
      const StepSample& y = *it->second;
      const uint64_t pair = (static_cast<uint64_t>(x.series) << 32) | y.series;
      auto rid = result_ids.find(pair);
      if (rid == result_ids.end()) {
        const Labels metric =
            ResultMetric(many.table.at(x.series), one.table.at(y.series), matching);
        rid = result_ids.emplace(pair, out.table.Intern(metric)).first;
      }
      auto [m, first_match] = matched.try_emplace(sig);
      if (matching.card == Cardinality::kOneToOne) {
        if (!first_match) {
          return InvalidArgumentError(
              "multiple matches for labels: many-to-one matching must be explicit "
              "(group_left/group_right)");
        }
      } else if (!m->second.insert(out.table.at(rid->second).Hash()).second) {
        return InvalidArgumentError(
            "multiple matches for labels: grouping labels must ensure unique matches");
      }
      const double l = swapped ? y.value : x.value;
      const double r = swapped ? x.value : y.value;
      if (auto v = Merge(op, filter, l, r, l))
        out.steps[s].push_back({rid->second, *v});
    }
  }
  return out;
}

}  // namespace sluice::logql::engine
