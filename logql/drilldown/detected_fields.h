// Loki's detected_fields (pkg/querier/queryrange/detected_fields.go), as pure logic over the
// entries of a log query: which fields the entries carry, their type, cardinality and parser.
// A field is a structured-metadata label (parsers = none, rendered `null`), a label the query's
// own parsers produced, or a key found by parsing the line as JSON, else as logfmt (parsers =
// ["json"] / ["logfmt"]), named as `| json` / `| logfmt` name it (sanitised, flattened with
// '_', "_extracted" on a clash with a stream label).
//
//   FieldDetector d(/*field_limit=*/1000);
//   for (each entry of the query result)
//     d.Add(stream_labels, entry.line, entry.structured_metadata, entry.parsed);
//   for (const DetectedField& f : d.Fields()) ...   // sorted by label
//
//   FieldValuesCollector v("status", /*limit=*/1000);   // detected_field/status/values
//   v.Add(...); v.Values();                              // sorted, distinct
//
// Memory: at most `field_limit` fields, each with a bounded CardinalityEstimator (<= ~4 KiB
// once large); value collection stops at `limit` values.
// Thread-safety: none; one per request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/labels.h"
#include "logql/drilldown/cardinality.h"
#include "logql/drilldown/field_type.h"

namespace sluice::logql::log {
class Stage;
class LabelsBuilder;
}  // namespace sluice::logql::log

namespace sluice::logql::drilldown {

struct DetectedField {
  std::string label;
  FieldType type = FieldType::kString;
  uint64_t cardinality = 0;
  // Empty: structured metadata (Loki renders `"parsers":null`). Else "json" and/or "logfmt".
  std::vector<std::string> parsers;
  // The key path of a JSON field (empty when unknown or not JSON).
  std::vector<std::string> json_path;
};

// Parses one entry's line the way detected_fields does: JSON first, logfmt when that fails.
class EntryFieldParser {
 public:
  EntryFieldParser();
  ~EntryFieldParser();
  EntryFieldParser(const EntryFieldParser&) = delete;
  EntryFieldParser& operator=(const EntryFieldParser&) = delete;

  // Replaces *fields with the fields of `line` (sorted by name; error labels excluded),
  // given the stream labels minus the names in `query_parsed` (so those are not renamed
  // "_extracted"). Returns "json", "logfmt", or "" when neither parser accepts the line.
  std::string_view Parse(const Labels& stream, std::span<const Label> query_parsed,
                         std::string_view line, std::vector<Label>* fields);

 private:
  std::unique_ptr<log::Stage> json_;
  std::unique_ptr<log::Stage> logfmt_;
  std::unique_ptr<log::LabelsBuilder> lb_;
  Labels last_stream_;
  Labels base_;
};

class FieldDetector {
 public:
  explicit FieldDetector(size_t field_limit = 1000) : field_limit_(field_limit) {}

  // One entry: its stream labels, line, structured metadata, and the labels the query's
  // parsers added (ResultEntry::parsed; error labels are ignored).
  void Add(const Labels& stream, std::string_view line, std::span<const Label> metadata,
           std::span<const Label> parsed);

  // Every detected field, sorted by label.
  std::vector<DetectedField> Fields() const;

  size_t size() const { return fields_.size(); }

 private:
  struct State {
    FieldType type = FieldType::kString;
    CardinalityEstimator values;
    std::vector<std::string> parsers;
    std::vector<std::string> json_path;
  };

  State* Find(std::string_view name, std::span<const std::string> parsers_if_new);
  void FillJsonPaths(std::string_view line, std::span<const Label> fields);

  size_t field_limit_;
  std::map<std::string, State, std::less<>> fields_;
  EntryFieldParser parser_;
  std::vector<Label> scratch_;
};

// detected_field/<name>/values: distinct values of field `name` over the entries, from
// structured metadata and parsed fields; byte sizes are normalised as Loki does ("10MB" and
// "10000000 B" alike become humanize's "10MB") so they can be pasted into a query.
class FieldValuesCollector {
 public:
  FieldValuesCollector(std::string name, size_t limit) : name_(std::move(name)), limit_(limit) {}

  void Add(const Labels& stream, std::string_view line, std::span<const Label> metadata,
           std::span<const Label> parsed);

  // True once `limit` distinct values were collected (further Adds are no-ops).
  bool full() const { return values_.size() >= limit_; }

  // Sorted, distinct.
  std::vector<std::string> Values() const { return {values_.begin(), values_.end()}; }

 private:
  void Insert(std::string_view v, bool from_parser);

  std::string name_;
  size_t limit_;
  std::set<std::string, std::less<>> values_;
  EntryFieldParser parser_;
  std::vector<Label> scratch_;
};

// True for the labels Loki never reports as fields (__error__, __error_details__,
// __preserve_error__).
bool IsErrorLabel(std::string_view name);

}  // namespace sluice::logql::drilldown
