#include "logql/drilldown/entry_filter.h"

#include "logql/engine/pipeline_builder.h"
#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"
#include "logql/syntax/parser.h"

namespace sluice::logql::drilldown {

EntryFilter::EntryFilter()
    : pipeline_(std::make_unique<log::Pipeline>()), lb_(std::make_unique<log::LabelsBuilder>()) {}

EntryFilter::~EntryFilter() = default;

Result<std::unique_ptr<EntryFilter>> EntryFilter::Parse(std::string_view query) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<syntax::LogExpr> expr, syntax::ParseLogSelector(query));
  std::unique_ptr<EntryFilter> f(new EntryFilter());
  f->matchers_ = expr->matchers;
  SLUICE_ASSIGN_OR_RETURN(log::Pipeline p, engine::BuildPipeline(expr->stages, std::nullopt));
  *f->pipeline_ = std::move(p);
  return f;
}

std::shared_ptr<const LineFilter> EntryFilter::pushdown() const {
  return pipeline_->PushdownFilter();
}

bool EntryFilter::MatchesStream(const Labels& stream) const {
  for (const LabelMatcher& m : matchers_) {
    if (!m.Matches(stream.Get(m.name())))
      return false;
  }
  return true;
}

bool EntryFilter::Process(const Labels& stream, const Entry& entry, std::string_view* line) {
  lb_->SetStream(stream);
  lb_->Reset(entry.metadata);
  *line = entry.line;
  return pipeline_->Process(entry.timestamp_ns, line, lb_.get());
}

Labels EntryFilter::labels() const {
  return lb_->Labels();
}

Labels EntryFilter::stream_labels() const {
  std::vector<Label> out;
  lb_->AppendCategory(log::LabelCategory::kStream, &out);
  return Labels(std::move(out));
}

std::vector<Label> EntryFilter::structured_metadata() const {
  std::vector<Label> out;
  lb_->AppendCategory(log::LabelCategory::kStructuredMetadata, &out);
  return out;
}

std::vector<Label> EntryFilter::parsed() const {
  std::vector<Label> out;
  lb_->AppendCategory(log::LabelCategory::kParsed, &out);
  return out;
}

bool EntryFilter::has_stages() const {
  return !pipeline_->empty();
}

}  // namespace sluice::logql::drilldown
