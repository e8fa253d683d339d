// EntryFilter: a LogQL log query (`{selector} | stages`) applied one entry at a time, for the
// consumers that see entries outside the engine: live tail (entries as they are pushed) and
// /patterns (a streaming scan). The selector is checked per stream label set; the stages are
// compiled once (logql/engine/pipeline_builder.h) and run with a LabelsBuilder per call.
//
//   SLUICE_ASSIGN_OR_RETURN(auto f, EntryFilter::Parse(R"({app="api"} |= "error" | json)"));
//   if (f->MatchesStream(labels)) {
//     std::string_view line;
//     if (f->Process(labels, entry, &line)) Emit(f->stream_labels(), line, f->labels());
//   }
//
// Errors: Parse fails with the parser's InvalidArgument (Loki's text) for a bad or metric query.
// Thread-safety: none; one EntryFilter per thread (or guard it).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/iterator.h"
#include "common/labels.h"
#include "common/matcher.h"
#include "common/result.h"
#include "logql/querier.h"

namespace sluice::logql::log {
class LabelsBuilder;
class Pipeline;
}  // namespace sluice::logql::log

namespace sluice::logql::drilldown {

class EntryFilter {
 public:
  static Result<std::unique_ptr<EntryFilter>> Parse(std::string_view query);
  ~EntryFilter();

  const Matchers& matchers() const { return matchers_; }

  // The leading line filters, for SelectLogsParams::line_filter (may be null).
  std::shared_ptr<const LineFilter> pushdown() const;

  // True if every selector matcher accepts the stream (absent labels read as "").
  bool MatchesStream(const Labels& stream) const;

  // Runs the stages on one entry of `stream` (REQUIRES: MatchesStream(stream)). False when a
  // stage drops it. On true, *line is the line after the stages (valid until the next call) and
  // the accessors below describe its labels.
  bool Process(const Labels& stream, const Entry& entry, std::string_view* line);

  // After a successful Process: the full label set (stream + metadata + parsed) ...
  Labels labels() const;
  // ... and the categories apart, for the categorize-labels encoding.
  // Stream labels left after the stages (drop/keep may remove some).
  Labels stream_labels() const;
  std::vector<Label> structured_metadata() const;
  std::vector<Label> parsed() const;

  bool has_stages() const;

 private:
  EntryFilter();

  Matchers matchers_;
  std::unique_ptr<log::Pipeline> pipeline_;
  std::unique_ptr<log::LabelsBuilder> lb_;
};

}  // namespace sluice::logql::drilldown
