// Merging the StepMatrix results of a range aggregation evaluated over disjoint time shards of
// its samples (range_evaluation.cc). A window that straddles a shard boundary has a partial
// value in each shard; for the ops below the value over the union is the sum (count, rate,
// bytes, sum: all linear in the samples) or the min / max of the parts, so no sample needs to
// be seen twice.
//
//   if (ShardMergeable(op)) { ...evaluate shards 0..n-1 in time order...;
//                             StepMatrix m = MergeShards(op, std::move(parts)); }
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "logql/engine/step_matrix.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// True for the ops whose window values merge across shards.
bool ShardMergeable(syntax::RangeOp op);

// Combines per-shard results (REQUIRES: same number of steps, `parts` non-empty, ordered by
// time, ShardMergeable(op)). Series keep the order of first appearance over the shards, and
// each step lists its samples in series order, as a single pass over all samples would.
StepMatrix MergeShards(syntax::RangeOp op, std::vector<StepMatrix> parts);

}  // namespace sluice::logql::engine
