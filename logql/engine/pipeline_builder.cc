#include "logql/engine/pipeline_builder.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "logql/log/parser_guard.h"

namespace sluice::logql::engine {

namespace {

using syntax::Overloaded;

log::CompareOp ToLogCompare(syntax::CompareOp op) {
  switch (op) {
    case syntax::CompareOp::kEqual:
      return log::CompareOp::kEq;
    case syntax::CompareOp::kNotEqual:
      return log::CompareOp::kNe;
    case syntax::CompareOp::kGreater:
      return log::CompareOp::kGt;
    case syntax::CompareOp::kGreaterEqual:
      return log::CompareOp::kGe;
    case syntax::CompareOp::kLess:
      return log::CompareOp::kLt;
    case syntax::CompareOp::kLessEqual:
      return log::CompareOp::kLe;
  }
  return log::CompareOp::kEq;
}

log::LineFilterOp ToLogLineOp(syntax::LineFilterOp op) {
  switch (op) {
    case syntax::LineFilterOp::kContains:
      return log::LineFilterOp::kContains;
    case syntax::LineFilterOp::kNotContains:
      return log::LineFilterOp::kNotContains;
    case syntax::LineFilterOp::kRegex:
      return log::LineFilterOp::kRegex;
    case syntax::LineFilterOp::kNotRegex:
      return log::LineFilterOp::kNotRegex;
    case syntax::LineFilterOp::kPattern:
      return log::LineFilterOp::kPattern;
    case syntax::LineFilterOp::kNotPattern:
      return log::LineFilterOp::kNotPattern;
  }
  return log::LineFilterOp::kContains;
}

log::UnwrapConversion ToLogConversion(syntax::UnwrapConversion c) {
  switch (c) {
    case syntax::UnwrapConversion::kNone:
      return log::UnwrapConversion::kNone;
    case syntax::UnwrapConversion::kBytes:
      return log::UnwrapConversion::kBytes;
    case syntax::UnwrapConversion::kDuration:
      return log::UnwrapConversion::kDuration;
    case syntax::UnwrapConversion::kDurationSeconds:
      return log::UnwrapConversion::kDurationSeconds;
  }
  return log::UnwrapConversion::kNone;
}

std::vector<log::ExtractionParam> ToParams(const std::vector<syntax::LabelExtraction>& ex) {
  std::vector<log::ExtractionParam> out;
  out.reserve(ex.size());
  for (const auto& e : ex)
    out.push_back({e.name, e.expression});
  return out;
}

std::vector<log::NamedLabelMatcher> ToNamed(const std::vector<syntax::NamedMatcher>& in) {
  std::vector<log::NamedLabelMatcher> out;
  out.reserve(in.size());
  for (const auto& n : in)
    out.push_back({n.name, n.matcher});
  return out;
}

void FilterNames(const syntax::LabelFilter& f, std::vector<std::string>* out) {
  std::visit(
      Overloaded{[&](const syntax::StringLabelFilter& s) { out->push_back(s.matcher.name()); },
                 [&](const syntax::BinaryLabelFilter& b) {
                   FilterNames(*b.left, out);
                   FilterNames(*b.right, out);
                 },
                 [&](const auto& leaf) { out->push_back(leaf.name); }},
      f.node);
}

// Labels read by the stages from `from` on, plus the final labels; nullopt if any of them may
// read every label (line_format / label_format templates, or an unrestricted result).
FinalLabels NeededAfter(const std::vector<syntax::Stage>& stages, size_t from,
                        const FinalLabels& final_labels) {
  if (!final_labels.has_value())
    return std::nullopt;
  std::vector<std::string> names = *final_labels;
  for (size_t i = from; i < stages.size(); ++i) {
    bool all = false;
    std::visit(
        Overloaded{[&](const syntax::LabelFilterStage& s) { FilterNames(s.filter, &names); },
                   [&](const syntax::DropStage& s) {
                     for (const auto& n : s.labels)
                       names.push_back(n.name);
                   },
                   [&](const syntax::KeepStage& s) {
                     for (const auto& n : s.labels)
                       names.push_back(n.name);
                   },
                   [&](const syntax::LineFormatStage&) { all = true; },
                   [&](const syntax::LabelFormatStage&) { all = true; }, [&](const auto&) {}},
        stages[i]);
    if (all)
      return std::nullopt;
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// The string equalities `name="value"` that every entry leaving the label filter stages right
// after stage `from - 1` satisfies (ANDs across and within them; an `or` proves nothing).
void RequiredEqualities(const syntax::LabelFilter& f, std::vector<log::RequiredLabel>* out) {
  if (const auto* s = std::get_if<syntax::StringLabelFilter>(&f.node)) {
    const LabelMatcher& m = s->matcher;
    if (m.type() == MatchType::kEqual && !m.value().empty() && !m.name().starts_with("__"))
      out->push_back({m.name(), m.value()});
  } else if (const auto* b = std::get_if<syntax::BinaryLabelFilter>(&f.node)) {
    if (!b->is_or) {
      RequiredEqualities(*b->left, out);
      RequiredEqualities(*b->right, out);
    }
  }
}

std::vector<log::RequiredLabel> RequiredAfter(const std::vector<syntax::Stage>& stages,
                                              size_t from) {
  std::vector<log::RequiredLabel> out;
  for (size_t i = from; i < stages.size(); ++i) {
    const auto* f = std::get_if<syntax::LabelFilterStage>(&stages[i]);
    if (f == nullptr)
      break;
    RequiredEqualities(f->filter, &out);
  }
  return out;
}

// Parsers whose label values are bytes of the line or unescaped from it (NewParserGuard).
bool ValuesFromLine(const syntax::Stage& s) {
  return std::holds_alternative<syntax::JsonParserStage>(s) ||
         std::holds_alternative<syntax::LogfmtParserStage>(s) ||
         std::holds_alternative<syntax::RegexpParserStage>(s) ||
         std::holds_alternative<syntax::PatternParserStage>(s);
}

// One stream's share of the guard: the leading line filters, then the required labels the
// stream does not carry (an entry without metadata has no other label before the parser).
class StreamGuardFilter final : public LineFilter {
 public:
  StreamGuardFilter(std::shared_ptr<const LineFilter> lead,
                    std::vector<log::RequiredLabel> required)
      : lead_(std::move(lead)), required_(std::move(required)) {}

  bool Matches(std::string_view line) const override {
    if (lead_ != nullptr && !lead_->Matches(line))
      return false;
    return log::GuardAdmits(line, required_, [](std::string_view) { return false; });
  }

 private:
  std::shared_ptr<const LineFilter> lead_;
  std::vector<log::RequiredLabel> required_;
};

class GuardPushdown final : public BareLineFilter {
 public:
  GuardPushdown(std::shared_ptr<const LineFilter> lead, std::vector<log::RequiredLabel> required)
      : lead_(std::move(lead)), required_(std::move(required)) {}

  std::shared_ptr<const LineFilter> ForStream(const Labels& stream) const override {
    std::vector<log::RequiredLabel> r;
    for (const log::RequiredLabel& x : required_) {
      // Present with any value, even empty, as LabelsBuilder::Has sees stream labels.
      if (std::none_of(stream.begin(), stream.end(),
                       [&](const Label& l) { return l.name == x.name; }))
        r.push_back(x);
    }
    if (r.empty())
      return nullptr;
    return std::make_shared<StreamGuardFilter>(lead_, std::move(r));
  }

  bool MetadataMatters(std::string_view name) const override {
    // LabelsBuilder::Reset names a metadata label `name` or `name`_extracted: any required
    // label starting with `name` may be it.
    return std::any_of(required_.begin(), required_.end(),
                       [&](const log::RequiredLabel& x) { return x.name.starts_with(name); });
  }

 private:
  std::shared_ptr<const LineFilter> lead_;
  std::vector<log::RequiredLabel> required_;
};

}  // namespace

std::shared_ptr<const BareLineFilter> BareEntryPushdown(
    const std::vector<syntax::Stage>& stages, std::shared_ptr<const LineFilter> line_filter) {
  size_t i = 0;
  while (i < stages.size() && std::holds_alternative<syntax::LineFilterStage>(stages[i]))
    ++i;
  if (i == stages.size() || !ValuesFromLine(stages[i]))
    return nullptr;
  std::vector<log::RequiredLabel> required = log::GuardableLabels(RequiredAfter(stages, i + 1));
  if (required.empty())
    return nullptr;
  return std::make_shared<GuardPushdown>(std::move(line_filter), std::move(required));
}

Result<log::LabelFilterExpr> BuildLabelFilter(const syntax::LabelFilter& f) {
  return std::visit(
      Overloaded{[](const syntax::StringLabelFilter& s) -> Result<log::LabelFilterExpr> {
                   return log::LabelFilterExpr::String(s.matcher);
                 },
                 [](const syntax::NumericLabelFilter& s) -> Result<log::LabelFilterExpr> {
                   return log::LabelFilterExpr::Numeric(s.name, ToLogCompare(s.op), s.value);
                 },
                 [](const syntax::DurationLabelFilter& s) -> Result<log::LabelFilterExpr> {
                   return log::LabelFilterExpr::Duration(s.name, ToLogCompare(s.op), s.value_ns);
                 },
                 [](const syntax::BytesLabelFilter& s) -> Result<log::LabelFilterExpr> {
                   return log::LabelFilterExpr::Bytes(s.name, ToLogCompare(s.op), s.value);
                 },
                 [](const syntax::IpLabelFilter& s) -> Result<log::LabelFilterExpr> {
                   return log::LabelFilterExpr::Ip(
                       s.name, s.negate ? log::CompareOp::kNe : log::CompareOp::kEq, s.pattern);
                 },
                 [](const syntax::BinaryLabelFilter& b) -> Result<log::LabelFilterExpr> {
                   SLUICE_ASSIGN_OR_RETURN(auto l, BuildLabelFilter(*b.left));
                   SLUICE_ASSIGN_OR_RETURN(auto r, BuildLabelFilter(*b.right));
                   return b.is_or ? log::LabelFilterExpr::Or(std::move(l), std::move(r))
                                  : log::LabelFilterExpr::And(std::move(l), std::move(r));
                 }},
      f.node);
}

Result<log::Pipeline> BuildPipeline(const std::vector<syntax::Stage>& stages,
                                    const FinalLabels& final_labels, const syntax::Unwrap* unwrap) {
  FinalLabels final_plus = final_labels;
  if (final_plus.has_value() && unwrap != nullptr) {
    final_plus->push_back(unwrap->label);
    for (const auto& f : unwrap->post_filters)
      FilterNames(f, &*final_plus);
  }
  std::vector<std::unique_ptr<log::Stage>> out;
  for (size_t i = 0; i < stages.size(); ++i) {
    Result<std::unique_ptr<log::Stage>> stage = std::visit(
        Overloaded{[&](const syntax::LineFilterStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     std::vector<log::LineFilterArg> args;
                     for (const auto& a : s.args)
                       args.push_back({a.value, a.is_ip});
                     return log::NewLineFilterStage(ToLogLineOp(s.op), std::move(args));
                   },
                   [&](const syntax::JsonParserStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewJsonParser(ToParams(s.extractions),
                                               NeededAfter(stages, i + 1, final_plus));
                   },
                   [&](const syntax::LogfmtParserStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewLogfmtParser({s.strict, s.keep_empty}, ToParams(s.extractions),
                                                 NeededAfter(stages, i + 1, final_plus));
                   },
                   [&](const syntax::RegexpParserStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewRegexpParser(s.regex);
                   },
                   [&](const syntax::PatternParserStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewPatternParser(s.pattern);
                   },
                   [&](const syntax::UnpackParserStage&) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewUnpackParser();
                   },
                   [&](const syntax::LabelFilterStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     SLUICE_ASSIGN_OR_RETURN(auto f, BuildLabelFilter(s.filter));
                     return log::NewLabelFilterStage(std::move(f));
                   },
                   [&](const syntax::LineFormatStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewLineFormat(s.tmpl);
                   },
                   [&](const syntax::LabelFormatStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     std::vector<log::LabelFormatRule> rules;
                     for (const auto& a : s.assignments)
                       rules.push_back({a.dst, a.value, !a.is_rename});
                     return log::NewLabelFormat(std::move(rules));
                   },
                   [&](const syntax::DecolorizeStage&) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewDecolorize();
                   },
                   [&](const syntax::DropStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewDropLabels(ToNamed(s.labels));
                   },
                   [&](const syntax::KeepStage& s) -> Result<std::unique_ptr<log::Stage>> {
                     return log::NewKeepLabels(ToNamed(s.labels));
                   }},
        stages[i]);
    if (!stage.ok())
      return stage.status();
    if (ValuesFromLine(stages[i])) {
      out.push_back(log::NewParserGuard(std::move(*stage), RequiredAfter(stages, i + 1)));
    } else {
      out.push_back(std::move(*stage));
    }
  }
  return log::Pipeline(std::move(out));
}

Result<CompiledUnwrap> BuildUnwrap(const syntax::Unwrap& unwrap) {
  std::vector<std::unique_ptr<log::Stage>> post;
  for (const auto& f : unwrap.post_filters) {
    SLUICE_ASSIGN_OR_RETURN(auto expr, BuildLabelFilter(f));
    post.push_back(log::NewLabelFilterStage(std::move(expr)));
  }
  return CompiledUnwrap{log::UnwrapExtractor(unwrap.label, ToLogConversion(unwrap.conversion)),
                        log::Pipeline(std::move(post))};
}

}  // namespace sluice::logql::engine
