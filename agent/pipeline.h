// The pipeline that turns one decoded log line into what is shipped: Promtail's stages
// (json, regex, logfmt, labels, static_labels, labeldrop, labelallow, timestamp, output, drop,
// match, tenant, structured_metadata) plus our `schema` stage. docker, cri and multiline are
// handled before the pipeline, by the file reader (agent/line_decoder.h, agent/multiline.h),
// so that partial lines are joined per file.
//
// A Stage mutates a PipelineEntry in place; a stage that drops the entry sets `dropped` and
// `drop_reason`, and the stages after it do not run.
// Thread-safety: a Pipeline (and its stages) keeps scratch state (simdjson parsers, schema
// validators): one thread at a time. Build one per tailing thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/relabel.h"

namespace sluice::agent {

struct PipelineEntry {
  LabelMap labels;    // stream labels; names starting with "__" are removed before shipping
  int64_t ts_ns = 0;  // entry timestamp
  std::string line;   // the log line to ship
  std::map<std::string, std::string> extracted;               // Promtail's extracted map
  std::vector<std::pair<std::string, std::string>> metadata;  // structured metadata
  std::string tenant;                                         // "" = the client's tenant_id
  bool dropped = false;
  std::string drop_reason;  // e.g. "drop_stage", "schema", "line_too_long"
  // Set by a schema stage: 0 not checked, 1 valid, -1 invalid.
  int schema_verdict = 0;
  std::string schema_keyword;  // failing keyword ("required", "pattern", "invalid_json")
  std::string schema_message;  // the validator's message
};

class Stage {
 public:
  virtual ~Stage() = default;
  // REQUIRES: !entry->dropped.
  virtual void Process(PipelineEntry* entry) = 0;
};

class Pipeline {
 public:
  Pipeline() = default;

  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages) : stages_(std::move(stages)) {}

  void Process(PipelineEntry* entry) {
    for (auto& stage : stages_) {
      if (entry->dropped)
        return;
      stage->Process(entry);
    }
  }

  size_t size() const { return stages_.size(); }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace sluice::agent
