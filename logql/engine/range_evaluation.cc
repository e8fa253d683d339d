#include "logql/engine/range_evaluation.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "logql/engine/pipeline_builder.h"
#include "logql/engine/range_window.h"
#include "logql/engine/series_labeler.h"
#include "logql/engine/shard_merge.h"
#include "logql/log/labels_builder.h"

namespace sluice::logql::engine {

using syntax::RangeOp;

namespace {

bool UsesLineBytes(RangeOp op) {
  return op == RangeOp::kBytesOverTime || op == RangeOp::kBytesRate;
}

// The grouping that decides sample labels: a pushed-down parent grouping wins over the range
// aggregation's own (Loki's extractor loop), absent_over_time has none.
struct ExtractionGrouping {
  std::vector<std::string> groups;
  bool without = false;
  bool no_labels = false;
};

ExtractionGrouping ChooseGrouping(const syntax::RangeAggregationExpr& e,
                                  const syntax::Grouping* override_grouping) {
  ExtractionGrouping g;
  for (const syntax::Grouping* grp :
       {e.grouping.has_value() ? &*e.grouping : nullptr, override_grouping}) {
    if (grp == nullptr)
      continue;
    g.groups = grp->labels;
    g.without = grp->without;
    g.no_labels = grp->labels.empty() && !grp->without;
  }
  if (e.op == RangeOp::kAbsentOverTime)
    g.no_labels = true;
  // Unwrapped samples never carry the unwrapped label unless a `by` names it.
  if (e.range.unwrap.has_value() && (g.groups.empty() || g.without)) {
    g.without = true;
    g.groups.push_back(e.range.unwrap->label);
  }
  return g;
}

}  // namespace

std::string PipelineErrorMessage(const Labels& series) {
  const std::string err(series.Get(log::kErrorLabel));
  return "pipeline error: '" + err + "' for series: '" + series.ToString() +
         "'.\nUse a label filter to intentionally skip this error. (e.g | __error__!=\"" + err +
         "\").\nTo skip all potential errors you can match empty errors.(e.g __error__=\"\")\n"
         "The label filter can also be specified after unwrap. (e.g | unwrap latency | "
         "__error__=\"\" )\n";
}

Labels AbsentLabels(const Matchers& matchers) {
  std::vector<Label> eq;
  std::vector<std::string> drop;
  for (const LabelMatcher& m : matchers) {
    bool seen = false;
    for (const Label& l : eq)
      seen = seen || l.name == m.name();
    if (m.type() == MatchType::kEqual && !seen) {
      eq.push_back(Label{m.name(), m.value()});
    } else {
      drop.push_back(m.name());
    }
  }
  Labels out(std::move(eq));
  for (const std::string& n : drop)
    out = out.Without(n);
  return out;
}

namespace {

// What every shard of one range aggregation shares (read-only while shards run).
struct ScanPlan {
  const syntax::RangeAggregationExpr* expr = nullptr;
  RangeSpec spec;  // the op a shard accumulates (rate-like ops as their numerators)
  FinalLabels final_labels;
  const SeriesLabeler* labeler = nullptr;
  bool line_bytes = false;
  // Lowest index of a shard that failed: later shards stop (their result is not used), earlier
  // ones finish, since a single pass would have met their errors first.
  mutable std::atomic<int> first_failed{std::numeric_limits<int>::max()};
};

// One time shard: its own compiled pipeline (stages keep per-call scratch), iterator, windows.
struct Shard {
  Shard(int i, const RangeSpec& spec, const StepGrid& grid) : index(i), builder(spec, grid) {}

  int index;
  log::Pipeline pipeline;
  std::optional<CompiledUnwrap> unwrap;
  std::unique_ptr<EntryIterator> it;
  std::shared_ptr<DroppedLines> dropped = std::make_shared<DroppedLines>();
  RangeVectorBuilder builder;
  QueryStats stats;
  Status status;
};

Status PrepareShard(const ScanPlan& plan, int64_t start_ns, int64_t end_ns, EvalContext* ctx,
                    Shard* shard) {
  const syntax::LogRange& range = plan.expr->range;
  const syntax::Unwrap* unwrap = range.unwrap.has_value() ? &*range.unwrap : nullptr;
  SLUICE_ASSIGN_OR_RETURN(shard->pipeline,
                          BuildPipeline(range.log->stages, plan.final_labels, unwrap));
  if (unwrap != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(shard->unwrap, BuildUnwrap(*unwrap));
  }
  SelectLogsParams params;
  params.tenant = ctx->tenant;
  params.matchers = range.log->matchers;
  params.start_ns = start_ns;
  params.end_ns = end_ns;
  params.direction = Direction::kForward;
  params.line_filter = shard->pipeline.PushdownFilter();
  params.bare_line_filter = BareEntryPushdown(range.log->stages, params.line_filter);
  params.dropped = shard->dropped;
  SLUICE_ASSIGN_OR_RETURN(shard->it, ctx->querier->SelectLogs(params));
  return Status::Ok();
}

// The streaming pass: entries -> pipeline -> samples -> open windows. Runs on the shard's
// thread; touches only `shard` and const state.
Status ScanShardEntries(const ScanPlan& plan, const EvalContext& ctx, Shard* shard) {
  std::unordered_map<uint64_t, std::unique_ptr<log::LabelsBuilder>> builders;
  uint64_t last_stream = 0;
  log::LabelsBuilder* lb = nullptr;
  EntryIterator* it = shard->it.get();
  RangeVectorBuilder& builder = shard->builder;
  int64_t n = 0;
  while (it->Next()) {
    if (++n % kDeadlineCheckInterval == 0) {
      SLUICE_RETURN_IF_ERROR(ctx.CheckDeadline());
      if (plan.first_failed.load(std::memory_order_relaxed) < shard->index)
        return Status::Ok();
    }
    const Entry& entry = it->At();
    ++shard->stats.lines_processed;
    shard->stats.bytes_processed += static_cast<int64_t>(entry.line.size());
    int64_t first = 0, last = 0;
    if (!builder.StepsFor(entry.timestamp_ns, &first, &last))
      continue;
    const uint64_t stream = it->StreamHash();
    if (lb == nullptr || stream != last_stream) {
      auto& slot = builders[stream];
      if (slot == nullptr) {
        slot = std::make_unique<log::LabelsBuilder>();
        slot->SetStream(it->StreamLabels());
      }
      lb = slot.get();
      last_stream = stream;
    }
    lb->Reset(entry.metadata);
    std::string_view line = entry.line;
    if (!shard->pipeline.Process(entry.timestamp_ns, &line, lb))
      continue;
    double value = 1;
    if (shard->unwrap.has_value()) {
      if (!shard->unwrap->extractor.Extract(lb, &value))
        continue;
      if (!shard->unwrap->post_filters.Process(entry.timestamp_ns, &line, lb))
        continue;
    } else if (plan.line_bytes) {
      value = static_cast<double>(line.size());
    }
    const uint64_t key = plan.labeler->Key(*lb);
    int64_t id = builder.Find(key);
    if (id < 0) {
      Labels series = plan.labeler->LabelsOf(*lb);
      if (series.Has(log::kErrorLabel)) {
        return InvalidArgumentError(PipelineErrorMessage(series));
      }
      id = builder.AddSeries(key, series);
    }
    builder.Add(static_cast<uint32_t>(id), first, last, value, entry.timestamp_ns);
    ++shard->stats.post_filter_lines;
  }
  return it->status();
}

void ScanShard(const ScanPlan& plan, const EvalContext& ctx, Shard* shard) {
  shard->status = ScanShardEntries(plan, ctx, shard);
  shard->it.reset();  // storage's readers report what they dropped by the time they are gone
  AddDroppedLines(*shard->dropped, &shard->stats);
  if (!shard->status.ok()) {
    int seen = plan.first_failed.load();
    while (shard->index < seen && !plan.first_failed.compare_exchange_weak(seen, shard->index)) {
    }
  }
}

// The op a shard accumulates so that shard results add up exactly: a rate is its count (or
// sum, or bytes) divided by the range once the shards are merged.
syntax::RangeOp ShardOp(const RangeSpec& spec) {
  switch (spec.op) {
    case RangeOp::kRate:
      return spec.unwrapped ? RangeOp::kSumOverTime : RangeOp::kCountOverTime;
    case RangeOp::kBytesRate:
      return RangeOp::kBytesOverTime;
    default:
      return spec.op;
  }
}

// How many shards [start, end) is cut into.
int NumShards(RangeOp op, int64_t start_ns, int64_t end_ns, const EngineOptions& o) {
  if (!ShardMergeable(op))
    return 1;
  int64_t n = o.parallelism > 0 ? o.parallelism : std::thread::hardware_concurrency();
  n = std::clamp<int64_t>(n, 1, 16);
  if (o.min_shard_span_ns > 0)
    n = std::min(n, (end_ns - start_ns) / o.min_shard_span_ns);
  return static_cast<int>(std::max<int64_t>(n, 1));
}

}  // namespace

Result<StepMatrix> EvalRangeAggregation(const syntax::RangeAggregationExpr& e,
                                        const syntax::Grouping* override_grouping,
                                        EvalContext* ctx) {
  const syntax::LogRange& range = e.range;
  RangeSpec spec;
  spec.op = e.op;
  spec.unwrapped = range.unwrap.has_value();
  spec.param = e.param.value_or(0);
  spec.range_ns = range.range_ns;
  spec.offset_ns = range.offset_ns;

  const ExtractionGrouping grouping = ChooseGrouping(e, override_grouping);
  ScanPlan plan;
  plan.expr = &e;
  if (grouping.no_labels) {
    plan.final_labels.emplace();
  } else if (!grouping.without && !grouping.groups.empty()) {
    plan.final_labels = grouping.groups;
  }
  const SeriesLabeler labeler(grouping.groups, grouping.without, grouping.no_labels);
  plan.labeler = &labeler;
  plan.line_bytes = UsesLineBytes(e.op);

  // Storage sees the span of all windows: (first step - offset - range, last step - offset].
  const int64_t start_ns = ctx->grid.start_ns - spec.offset_ns - spec.range_ns + 1;
  const int64_t end_ns = ctx->grid.end_ns - spec.offset_ns + 1;
  const int num_shards = NumShards(e.op, start_ns, end_ns, ctx->options);
  plan.spec = spec;
  if (num_shards > 1)
    plan.spec.op = ShardOp(spec);

  // Shards are prepared (pipelines compiled, iterators opened) on this thread, in time order.
  std::vector<std::unique_ptr<Shard>> shards;
  for (int i = 0; i < num_shards; ++i) {
    const int64_t lo = start_ns + (end_ns - start_ns) / num_shards * i;
    const int64_t hi =
        i + 1 == num_shards ? end_ns : start_ns + (end_ns - start_ns) / num_shards * (i + 1);
    shards.push_back(std::make_unique<Shard>(i, plan.spec, ctx->grid));
    SLUICE_RETURN_IF_ERROR(PrepareShard(plan, lo, hi, ctx, shards.back().get()));
  }
  {
    std::vector<std::jthread> threads;
    for (size_t i = 1; i < shards.size(); ++i) {
      Shard* s = shards[i].get();
      threads.emplace_back([&plan, ctx, s] { ScanShard(plan, *ctx, s); });
    }
    ScanShard(plan, *ctx, shards[0].get());
  }
  // The earliest shard's error is the one a single pass would have met first.
  std::vector<StepMatrix> parts;
  for (auto& s : shards) {
    ctx->stats.lines_processed += s->stats.lines_processed;
    ctx->stats.bytes_processed += s->stats.bytes_processed;
    ctx->stats.post_filter_lines += s->stats.post_filter_lines;
    SLUICE_RETURN_IF_ERROR(s->status);
    parts.push_back(s->builder.Finish(AbsentLabels(range.log->matchers)));
  }
  if (parts.size() == 1)
    return std::move(parts.front());
  StepMatrix m = MergeShards(plan.spec.op, std::move(parts));
  if (plan.spec.op != spec.op) {
    const double range_s = static_cast<double>(spec.range_ns) / 1e9;
    for (auto& step : m.steps) {
      for (StepSample& x : step)
        x.value /= range_s;
    }
  }
  return m;
}

}  // namespace sluice::logql::engine
