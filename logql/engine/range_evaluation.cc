#include "logql/engine/range_evaluation.h"

#include <memory>
#include <unordered_map>
#include <vector>

#include "logql/engine/pipeline_builder.h"
#include "logql/engine/range_window.h"
#include "logql/engine/series_labeler.h"
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
  FinalLabels final_labels;
  if (grouping.no_labels) {
    final_labels.emplace();
  } else if (!grouping.without && !grouping.groups.empty()) {
    final_labels = grouping.groups;
  }
  const syntax::Unwrap* unwrap = range.unwrap.has_value() ? &*range.unwrap : nullptr;
  SLUICE_ASSIGN_OR_RETURN(log::Pipeline pipeline,
                          BuildPipeline(range.log->stages, final_labels, unwrap));
  std::optional<CompiledUnwrap> compiled_unwrap;
  if (unwrap != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(compiled_unwrap, BuildUnwrap(*unwrap));
  }
  const SeriesLabeler labeler(grouping.groups, grouping.without, grouping.no_labels);
  RangeVectorBuilder builder(spec, ctx->grid);

  SelectLogsParams params;
  params.tenant = ctx->tenant;
  params.matchers = range.log->matchers;
  params.start_ns = ctx->grid.start_ns - spec.offset_ns - spec.range_ns + 1;
  params.end_ns = ctx->grid.end_ns - spec.offset_ns + 1;
  params.direction = Direction::kForward;
  params.line_filter = pipeline.PushdownFilter();
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<EntryIterator> it, ctx->querier->SelectLogs(params));

  std::unordered_map<uint64_t, std::unique_ptr<log::LabelsBuilder>> builders;
  uint64_t last_stream = 0;
  log::LabelsBuilder* lb = nullptr;
  const bool line_bytes = UsesLineBytes(e.op);
  int64_t n = 0;
  while (it->Next()) {
    if (++n % kDeadlineCheckInterval == 0)
      SLUICE_RETURN_IF_ERROR(ctx->CheckDeadline());
    const Entry& entry = it->At();
    ++ctx->stats.lines_processed;
    ctx->stats.bytes_processed += static_cast<int64_t>(entry.line.size());
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
    if (!pipeline.Process(entry.timestamp_ns, &line, lb))
      continue;
    double value = 1;
    if (compiled_unwrap.has_value()) {
      if (!compiled_unwrap->extractor.Extract(lb, &value))
        continue;
      if (!compiled_unwrap->post_filters.Process(entry.timestamp_ns, &line, lb))
        continue;
    } else if (line_bytes) {
      value = static_cast<double>(line.size());
    }
    const uint64_t key = labeler.Key(*lb);
    int64_t id = builder.Find(key);
    if (id < 0) {
      Labels series = labeler.LabelsOf(*lb);
      if (series.Has(log::kErrorLabel)) {
        return InvalidArgumentError(PipelineErrorMessage(series));
      }
      id = builder.AddSeries(key, series);
    }
    builder.Add(static_cast<uint32_t>(id), first, last, value, entry.timestamp_ns);
  }
  SLUICE_RETURN_IF_ERROR(it->status());
  return builder.Finish(AbsentLabels(range.log->matchers));
}

}  // namespace sluice::logql::engine
