#include "logql/engine/log_query.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "logql/engine/pipeline_builder.h"
#include "logql/log/labels_builder.h"

namespace sluice::logql::engine {

namespace {

// Loki's readStreams interval rule: output an entry when it is at least `interval` past the
// last output one in the query's direction.
bool IntervalAllows(int64_t interval, bool have_last, int64_t last, int64_t ts, Direction d) {
  if (interval <= 0 || !have_last)
    return true;
  return d == Direction::kForward ? ts >= last + interval : ts <= last - interval;
}

Labels CategoryLabels(const log::LabelsBuilder& lb, log::LabelCategory c) {
  std::vector<Label> v;
  lb.AppendCategory(c, &v);
  return Labels(std::move(v));
}

}  // namespace

Result<QueryResult> ExecLogQuery(const syntax::LogExpr& e, const QueryParams& params,
                                 EvalContext* ctx) {
  if (ctx->options.max_entries_limit > 0 &&
      params.limit > static_cast<uint32_t>(ctx->options.max_entries_limit)) {
    return InvalidArgumentError(
        "max entries limit per query exceeded, limit > max_entries_limit_per_query (" +
        std::to_string(params.limit) + " > " + std::to_string(ctx->options.max_entries_limit) +
        ")");
  }
  SLUICE_ASSIGN_OR_RETURN(log::Pipeline pipeline, BuildPipeline(e.stages, std::nullopt));

  SelectLogsParams sel;
  sel.tenant = ctx->tenant;
  sel.matchers = e.matchers;
  if (params.instant) {
    sel.start_ns = params.start_ns - kInstantLogLookbackNs + 1;
    sel.end_ns = params.start_ns + 1;
  } else {
    sel.start_ns = params.start_ns;
    sel.end_ns = params.end_ns;
  }
  sel.direction = params.direction;
  sel.line_filter = pipeline.PushdownFilter();
  sel.bare_line_filter = BareEntryPushdown(e.stages, sel.line_filter);
  sel.dropped = std::make_shared<DroppedLines>();

  QueryResult result;
  result.type = ResultType::kStreams;
  if (params.limit == 0 || sel.end_ns <= sel.start_ns)
    return result;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<EntryIterator> it, ctx->querier->SelectLogs(sel));

  std::unordered_map<uint64_t, std::unique_ptr<log::LabelsBuilder>> builders;
  std::unordered_map<uint64_t, size_t> stream_index;  // full label hash -> result.streams
  std::vector<Label> scratch;
  uint32_t returned = 0;
  bool have_last = false;
  int64_t last_ts = 0;
  int64_t n = 0;
  while (returned < params.limit && it->Next()) {
    if (++n % kDeadlineCheckInterval == 0)
      SLUICE_RETURN_IF_ERROR(ctx->CheckDeadline());
    const Entry& entry = it->At();
    ++ctx->stats.lines_processed;
    ctx->stats.bytes_processed += static_cast<int64_t>(entry.line.size());
    if (!IntervalAllows(params.interval_ns, have_last, last_ts, entry.timestamp_ns,
                        params.direction)) {
      continue;
    }
    auto& lb = builders[it->StreamHash()];
    if (lb == nullptr) {
      lb = std::make_unique<log::LabelsBuilder>();
      lb->SetStream(it->StreamLabels());
    }
    lb->Reset(entry.metadata);
    std::string_view line = entry.line;
    if (!pipeline.Process(entry.timestamp_ns, &line, lb.get()))
      continue;
    ++ctx->stats.post_filter_lines;

    auto [pos, is_new] = stream_index.try_emplace(lb->Hash(), result.streams.size());
    if (is_new) {
      ResultStream s;
      s.labels = lb->Labels();
      s.stream_labels = CategoryLabels(*lb, log::LabelCategory::kStream);
      result.streams.push_back(std::move(s));
    }
    ResultEntry out;
    out.timestamp_ns = entry.timestamp_ns;
    out.line.assign(line);
    lb->AppendCategory(log::LabelCategory::kStructuredMetadata, &out.structured_metadata);
    lb->AppendCategory(log::LabelCategory::kParsed, &out.parsed);
    result.streams[pos->second].entries.push_back(std::move(out));
    ++returned;
    have_last = true;
    last_ts = entry.timestamp_ns;
  }
  const Status scanned = it->status();
  it.reset();  // storage's readers report what they dropped by the time they are gone
  AddDroppedLines(*sel.dropped, &ctx->stats);
  SLUICE_RETURN_IF_ERROR(scanned);
  // Loki sorts streams by their label string.
  std::vector<std::pair<std::string, size_t>> order;
  order.reserve(result.streams.size());
  for (size_t i = 0; i < result.streams.size(); ++i) {
    order.emplace_back(result.streams[i].labels.ToString(), i);
  }
  std::sort(order.begin(), order.end());
  std::vector<ResultStream> sorted;
  sorted.reserve(order.size());
  for (const auto& [key, i] : order)
    sorted.push_back(std::move(result.streams[i]));
  result.streams = std::move(sorted);
  result.stats.entries_returned = returned;
  return result;
}

}  // namespace sluice::logql::engine
