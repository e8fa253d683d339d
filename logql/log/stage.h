// Log pipeline stages (Loki's pkg/logql/log): line filters, parsers, label filters, formats,
// drop / keep / decolorize, and the Pipeline that chains them.
//
// Factories take plain values as written in the query (no AST dependency) and compile
// everything up front (regexes, templates, json paths): a bad argument is InvalidArgument with
// Loki's text, so the query gets a 400. Evaluation never fails: failures become the
// `__error__` / `__error_details__` labels (labels_builder.h).
//
//   std::vector<std::unique_ptr<Stage>> stages;
//   stages.push_back(*NewLineFilterStage(LineFilterOp::kContains, {{"error"}}));
//   stages.push_back(*NewJsonParser({}));
//   stages.push_back(NewLabelFilterStage(expr));             // label_filter.h
//   Pipeline p(std::move(stages));
//   auto pushdown = p.PushdownFilter();                        // for SelectLogsParams
//   std::string_view line = entry.line;
//   if (p.Process(entry.timestamp_ns, &line, &lb)) ...;       // line may now view a stage buffer
//
// Thread-safety: a Stage / Pipeline keeps per-call scratch buffers (no per-entry allocation in
// steady state), so one Pipeline serves one thread at a time; build one per evaluating thread
// (construction is cheap relative to a query). LineFilter objects are immutable and shared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/matcher.h"
#include "common/result.h"
#include "logql/log/labels_builder.h"
#include "logql/querier.h"

namespace sluice::logql::log {

class Stage {
 public:
  virtual ~Stage() = default;
  // Applies the stage to one entry. Returns false to drop it. A stage that rewrites the line
  // points *line at its own buffer (valid until this stage's next Process call); *line may
  // already view another stage's buffer, so stages never write in place.
  virtual bool Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb) = 0;

  // Non-null for pure line filters: the same predicate, shareable with storage (pushdown).
  virtual std::shared_ptr<const LineFilter> AsLineFilter() const { return nullptr; }
};

class Pipeline {
 public:
  Pipeline() = default;
  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages);
  Pipeline(Pipeline&&) = default;
  Pipeline& operator=(Pipeline&&) = default;

  // Runs the stages in order; false as soon as one drops the entry.
  bool Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb);
  // The AND of the leading pure line filters (those before any other stage), or null.
  std::shared_ptr<const LineFilter> PushdownFilter() const;

  bool empty() const { return stages_.empty(); }

  size_t size() const { return stages_.size(); }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
};

// ---- Line filters ----

enum class LineFilterOp {
  kContains,     // |=
  kNotContains,  // !=
  kRegex,        // |~  (RE2, unanchored; "(?i)" for case-insensitive)
  kNotRegex,     // !~
  kPattern,      // |>  (whole-line pattern, "<_>" = any text)
  kNotPattern,   // !>
};

// "|=", "!=", "|~", "!~", "|>", "!>".
std::string_view LineFilterOpSymbol(LineFilterOp op);

// One operand of a line filter: a string, or ip("...") when is_ip.
struct LineFilterArg {
  std::string value;
  bool is_ip = false;
};

// `op a or b or c`: for the positive ops a disjunction; for the negative ones the conjunction
// of the negations (`!= "a" or "b"` == `!= "a" != "b"`), as Loki. `ip()` operands are only
// valid with |= and != . Errors: bad regex ("error parsing regexp: ..."), bad ip value,
// a named capture in a |> pattern, empty `or_args`.
Result<std::shared_ptr<const LineFilter>> NewLineFilter(LineFilterOp op,
                                                        std::vector<LineFilterArg> or_args);
// Conjunction of filters (adjacent line filter stages).
std::shared_ptr<const LineFilter> NewAndLineFilter(
    std::vector<std::shared_ptr<const LineFilter>> filters);
// Wraps a line filter as a stage (AsLineFilter() returns it).
std::unique_ptr<Stage> NewLineFilterStage(std::shared_ptr<const LineFilter> filter);
// NewLineFilter + NewLineFilterStage.
Result<std::unique_ptr<Stage>> NewLineFilterStage(LineFilterOp op,
                                                  std::vector<LineFilterArg> or_args);

// ---- Parsers ----

// `label="expression"` of json / logfmt. For json the expression is a path (`a.b`, `a["k"]`,
// `list[0]`); for logfmt a key. An empty expression means the label name itself (`json s`).
struct ExtractionParam {
  std::string label;
  std::string expression;
};

// Labels a later part of the query reads: lets a parser skip the rest (Loki's parser hints).
// nullopt = extract everything (log queries, metric queries without a narrowing `by`).
// An empty list = no label is needed: the parser only passes the line through (Loki skips the
// parse entirely then, so no __error__ either). Names are final names (after "_extracted").
using NeededLabels = std::optional<std::vector<std::string>>;

// `| json` (params empty: every scalar member, flattened with '_') or `| json l="path", ...`.
Result<std::unique_ptr<Stage>> NewJsonParser(std::vector<ExtractionParam> params,
                                             NeededLabels needed = std::nullopt);

struct LogfmtOptions {
  bool strict = false;      // --strict: stop at the first malformed pair with LogfmtParserErr
  bool keep_empty = false;  // --keep-empty: keep `k` / `k=` as k=""
};

Result<std::unique_ptr<Stage>> NewLogfmtParser(LogfmtOptions options,
                                               std::vector<ExtractionParam> params,
                                               NeededLabels needed = std::nullopt);

// `| regexp "re"`: RE2, unanchored; named groups become labels. Errors: bad regex, no named
// group ("at least one named capture must be supplied"), invalid or duplicate group name.
Result<std::unique_ptr<Stage>> NewRegexpParser(std::string_view re);
// `| pattern "<a> <_> <b>"`. Errors as Loki's pattern package.
Result<std::unique_ptr<Stage>> NewPatternParser(std::string_view pattern);
// `| unpack`: json object of strings; `_entry` becomes the line.
Result<std::unique_ptr<Stage>> NewUnpackParser();

// A label an entry must end up with, exactly, to survive the label filters that follow a parser
// (`| json | level="error"`: level must be "error").
struct RequiredLabel {
  std::string name;
  std::string value;  // non-empty
};

// Wraps a parser whose label values are bytes of the line, or unescaped from it (json, logfmt,
// regexp, pattern), and drops, without parsing, an entry that cannot satisfy every
// `required` label: one the entry does not already have (stream / metadata labels the parser
// would not overwrite) whose value is not in the line, when the line holds no '\\' (an
// escape could spell the value otherwise). Only valid when `required` comes from string
// equalities ANDed across the label filter stages right after the parser (nothing in between
// reads or changes labels): such an entry would be dropped by them anyway. A value holding
// U+FFFD (what decoders put for invalid UTF-8) is ignored.
std::unique_ptr<Stage> NewParserGuard(std::unique_ptr<Stage> parser,
                                      std::vector<RequiredLabel> required);

// ---- Formatting ----

// `| line_format "tmpl"` (Go text/template subset; template.h lists the functions).
Result<std::unique_ptr<Stage>> NewLineFormat(std::string_view tmpl);

// One `dst=src` (rename; value = source label name) or `dst="tmpl"` (is_template) assignment.
struct LabelFormatRule {
  std::string name;
  std::string value;
  bool is_template = false;
};

// `| label_format r1, r2, ...`. All rules read the labels as they were before the stage.
// Errors: a target named twice, template errors.
Result<std::unique_ptr<Stage>> NewLabelFormat(std::vector<LabelFormatRule> rules);

// ---- drop / keep / decolorize ----

// `name` alone, or `name op "value"` (matcher set; matcher->name() == name).
struct NamedLabelMatcher {
  std::string name;
  std::optional<LabelMatcher> matcher;
};

// `| drop a, b="x"`: removes a, and b only when it matches.
std::unique_ptr<Stage> NewDropLabels(std::vector<NamedLabelMatcher> labels);
// `| keep a, b="x"`: removes every label not named (or whose matcher fails); the error labels
// are never removed.
std::unique_ptr<Stage> NewKeepLabels(std::vector<NamedLabelMatcher> labels);
// `| decolorize`: strips ANSI escape sequences from the line.
std::unique_ptr<Stage> NewDecolorize();

}  // namespace sluice::logql::log
