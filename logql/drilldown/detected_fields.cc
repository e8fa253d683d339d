#include "logql/drilldown/detected_fields.h"

#include <algorithm>

#include "logql/drilldown/json_paths.h"
#include "logql/log/label_filter.h"
#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

namespace sluice::logql::drilldown {

namespace {

constexpr std::string_view kPreserveErrorLabel = "__preserve_error__";

// Loki's allowedBytesUnits: a parsed value is normalised as bytes only if it ends with one.
bool HasBytesUnitSuffix(std::string_view v) {
  static constexpr std::string_view kUnits[] = {
      "b",  "kib", "kb", "mib", "mb", "gib", "gb", "tib", "tb", "pib", "pb", "eib", "eb",
      "ki", "k",   "mi", "m",   "gi", "g",   "ti", "t",   "pi", "p",   "ei", "e"};
  std::string lower(v);
  for (char& c : lower)
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (std::string_view u : kUnits) {
    if (lower.size() >= u.size() && lower.compare(lower.size() - u.size(), u.size(), u) == 0)
      return true;
  }
  return false;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool IsErrorLabel(std::string_view name) {
  return name == log::kErrorLabel || name == log::kErrorDetailsLabel || name == kPreserveErrorLabel;
}

// ---- EntryFieldParser ----

EntryFieldParser::EntryFieldParser()
    : json_(std::move(log::NewJsonParser({})).value()),
      logfmt_(std::move(log::NewLogfmtParser(log::LogfmtOptions{}, {})).value()),
      lb_(std::make_unique<log::LabelsBuilder>()) {}

EntryFieldParser::~EntryFieldParser() = default;

std::string_view EntryFieldParser::Parse(const Labels& stream, std::span<const Label> query_parsed,
                                         std::string_view line, std::vector<Label>* fields) {
  fields->clear();
  if (query_parsed.empty()) {
    if (!(stream == last_stream_)) {
      last_stream_ = stream;
      base_ = stream;
    }
  } else {
    last_stream_ = Labels();
    base_ = stream;
    for (const Label& l : query_parsed)
      base_ = base_.Without(l.name);
  }
  lb_->SetStream(base_);
  std::string_view parser = "json";
  std::string_view view = line;
  json_->Process(0, &view, lb_.get());
  if (lb_->HasError()) {
    lb_->Reset();
    parser = "logfmt";
    view = line;
    logfmt_->Process(0, &view, lb_.get());
    if (lb_->HasError())
      return "";
  }
  lb_->AppendCategory(log::LabelCategory::kParsed, fields);
  std::erase_if(*fields, [](const Label& l) { return IsErrorLabel(l.name) || l.value.empty(); });
  return parser;
}

// ---- FieldDetector ----

FieldDetector::State* FieldDetector::Find(std::string_view name,
                                          std::span<const std::string> parsers_if_new) {
  auto it = fields_.find(name);
  if (it != fields_.end())
    return &it->second;
  if (fields_.size() >= field_limit_)
    return nullptr;
  State& s = fields_[std::string(name)];
  s.parsers.assign(parsers_if_new.begin(), parsers_if_new.end());
  return &s;
}

void FieldDetector::FillJsonPaths(std::string_view line, std::span<const Label> fields) {
  bool missing = false;
  for (const Label& f : fields) {
    auto it = fields_.find(f.name);
    if (it != fields_.end() && it->second.json_path.empty() && Contains(it->second.parsers, "json"))
      missing = true;
  }
  if (!missing)
    return;
  std::vector<JsonPath> paths;
  CollectJsonPaths(line, &paths);
  for (JsonPath& p : paths) {
    auto it = fields_.find(p.name);
    if (it == fields_.end())
      it = fields_.find(p.name + std::string(log::kExtractedSuffix));
    if (it != fields_.end() && it->second.json_path.empty())
      it->second.json_path = std::move(p.path);
  }
}

void FieldDetector::Add(const Labels& stream, std::string_view line,
                        std::span<const Label> metadata, std::span<const Label> parsed) {
  // Structured metadata: parsers stay empty (null) unless a parser also finds the name.
  for (size_t i = 0; i < metadata.size(); ++i) {
    State* s = Find(metadata[i].name, {});
    if (s == nullptr)
      continue;
    // Loki re-detects the type from each entry's first value of the field.
    if (i == 0 || metadata[i - 1].name != metadata[i].name)
      s->type = DetectFieldType(metadata[i].value);
    s->values.Insert(metadata[i].value);
  }
  std::string_view parser = parser_.Parse(stream, parsed, line, &scratch_);
  // The query's own parsed labels count as fields too, merged with the line's.
  for (const Label& l : parsed) {
    if (!IsErrorLabel(l.name) && !l.value.empty())
      scratch_.push_back(l);
  }
  std::vector<std::string> parsers;
  if (!parser.empty())
    parsers.emplace_back(parser);
  for (const Label& f : scratch_) {
    State* s = Find(f.name, parsers);
    if (s == nullptr)
      continue;
    for (const std::string& p : parsers) {
      if (!Contains(s->parsers, p))
        s->parsers.push_back(p);
    }
    s->type = DetectFieldType(f.value);
    s->values.Insert(f.value);
  }
  if (parser == "json")
    FillJsonPaths(line, scratch_);
}

std::vector<DetectedField> FieldDetector::Fields() const {
  std::vector<DetectedField> out;
  out.reserve(fields_.size());
  for (const auto& [name, s] : fields_) {
    DetectedField f;
    f.label = name;
    f.type = s.type;
    f.cardinality = s.values.Estimate();
    f.parsers = s.parsers;
    f.json_path = s.json_path;
    out.push_back(std::move(f));
  }
  return out;
}

// ---- FieldValuesCollector ----

void FieldValuesCollector::Insert(std::string_view v, bool from_parser) {
  if (full())
    return;
  if (from_parser && HasBytesUnitSuffix(v)) {
    auto bytes = log::ParseHumanBytes(v);
    if (bytes.ok()) {
      std::string s = log::FormatHumanBytes(*bytes);
      size_t sp = s.find(' ');
      if (sp != std::string::npos)
        s.erase(sp, 1);
      values_.insert(std::move(s));
      return;
    }
  }
  if (values_.find(v) == values_.end())
    values_.emplace(v);
}

void FieldValuesCollector::Add(const Labels& stream, std::string_view line,
                               std::span<const Label> metadata, std::span<const Label> parsed) {
  if (full())
    return;
  for (const Label& l : metadata) {
    if (l.name == name_)
      Insert(l.value, /*from_parser=*/false);
  }
  for (const Label& l : parsed) {
    if (l.name == name_ && !l.value.empty())
      Insert(l.value, /*from_parser=*/true);
  }
  parser_.Parse(stream, parsed, line, &scratch_);
  for (const Label& l : scratch_) {
    if (l.name == name_)
      Insert(l.value, /*from_parser=*/true);
  }
}

}  // namespace sluice::logql::drilldown
