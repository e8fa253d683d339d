#include "agent/pipeline_builder.h"

#include <re2/re2.h>

#include "agent/config.h"
#include "agent/config_keys.h"
#include "agent/schema_stage.h"
#include "agent/stages.h"
#include "common/clock.h"
#include "common/file_system.h"

namespace sluice::agent {
namespace {

using Warnings = std::vector<std::string>;

const KeyRules kNone{{}, {}, {}};
const KeyRules kCriRules{
    {"max_partial_lines", "max_partial_line_size", "max_partial_line_size_truncate"}, {}, {}};
const KeyRules kJsonRules{{"expressions", "source", "drop_malformed"}, {}, {}};
const KeyRules kRegexRules{{"expression", "source"}, {}, {}};
const KeyRules kLogfmtRules{{"mapping", "source"}, {}, {}};
const KeyRules kTimestampRules{
    {"source", "format", "fallback_formats", "location", "action_on_failure"}, {}, {}};
const KeyRules kOutputRules{{"source"}, {}, {}};
const KeyRules kDropRules{{"source", "separator", "expression", "value", "older_than",
                           "longer_than", "drop_counter_reason"},
                          {},
                          {}};
const KeyRules kMatchRules{
    {"selector", "pipeline_name", "action", "stages", "drop_counter_reason"}, {}, {}};
const KeyRules kTenantRules{{"source", "value", "label"}, {}, {}};
const KeyRules kMultilineRules{{"firstline", "max_wait_time", "max_lines"}, {}, {}};
const KeyRules kSchemaRules{{"path", "action", "strict_format"}, {}, {}};

// Promtail stages we do not implement. `metrics` only counts, so it is ignored with a warning.
const std::vector<std::string_view> kRefusedStages = {
    "pack",       "template", "replace",         "limit", "geoip",
    "decolorize", "sampling", "eventlogmessage", "luhn",  "pipeline"};

Status Err(const YAML::Node& node, const std::string& message) {
  return InvalidArgumentError(LineOf(node) + ": " + message);
}

// A missing key of a const node is an invalid node: every accessor but IsDefined throws.
std::string Str(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

Result<std::map<std::string, std::string>> Map(const YAML::Node& node, const std::string& what) {
  std::map<std::string, std::string> out;
  if (!node || node.IsNull())
    return out;
  if (!node.IsMap())
    return Err(node, what + " must be a map");
  for (const auto& kv : node) {
    if (!kv.second.IsNull() && !kv.second.IsScalar())
      return Err(kv.second, what + ": not a scalar");
    out[kv.first.Scalar()] = kv.second.IsNull() ? std::string() : kv.second.Scalar();
  }
  return out;
}

Result<std::vector<std::string>> List(const YAML::Node& node, const std::string& what) {
  std::vector<std::string> out;
  if (!node || node.IsNull())
    return out;
  if (!node.IsSequence())
    return Err(node, what + " must be a list");
  for (const auto& item : node)
    out.push_back(Str(item));
  return out;
}

std::optional<std::string> OptSource(const YAML::Node& cfg) {
  if (cfg.IsDefined() && cfg.IsMap() && cfg["source"])
    return Str(cfg["source"]);
  return std::nullopt;
}

Result<std::shared_ptr<const re2::RE2>> Regex(const YAML::Node& node, const std::string& what) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<re2::RE2>(Str(node), options);
  if (!re->ok())
    return Err(node, what + ": bad regex: " + re->error());
  return std::shared_ptr<const re2::RE2>(std::move(re));
}

bool IsTrue(const YAML::Node& node) {
  std::string s = Str(node);
  return s == "true" || s == "True" || s == "yes";
}

class Builder {
 public:
  explicit Builder(const PipelineBuildOptions& options) : options_(options) {
    clock_ = options.clock != nullptr ? options.clock : Clock::Default();
  }

  Result<CompiledPipeline> Build(const YAML::Node& stages) {
    CompiledPipeline out;
    SLUICE_ASSIGN_OR_RETURN(auto list, BuildList(stages, /*top=*/true, &out));
    out.pipeline = std::make_unique<Pipeline>(std::move(list));
    return out;
  }

 private:
  Status Check(const YAML::Node& cfg, const std::string& what, const KeyRules& rules) {
    return CheckKeys(cfg, what, rules, options_.warnings);
  }

  Result<std::vector<std::unique_ptr<Stage>>> BuildList(const YAML::Node& stages, bool top,
                                                        CompiledPipeline* out) {
    std::vector<std::unique_ptr<Stage>> list;
    if (!stages || stages.IsNull())
      return list;
    if (!stages.IsSequence())
      return Err(stages, "`pipeline_stages` must be a list");
    bool seen_other = false;
    for (size_t i = 0; i < stages.size(); ++i) {
      const YAML::Node& item = stages[i];
      if (!item.IsMap() || item.size() != 1) {
        return Err(item, "each pipeline stage must be a map with one key (the stage name)");
      }
      auto kv = *item.begin();
      std::string name = kv.first.Scalar();
      const YAML::Node& cfg = kv.second;
      std::string what = "stage `" + name + "`";
      if (name == "docker" || name == "cri") {
        if (!top || seen_other || out->format != LineFormat::kAuto) {
          return Err(kv.first, what + " must be the first stage (it decodes the file format)");
        }
        SLUICE_RETURN_IF_ERROR(Check(cfg, what, name == "cri" ? kCriRules : kNone));
        out->format = name == "cri" ? LineFormat::kCri : LineFormat::kDocker;
        if (name == "cri" && cfg.IsDefined() && cfg.IsMap() && cfg["max_partial_lines"]) {
          out->cri_max_partial_lines =
              std::max(1, std::atoi(Str(cfg["max_partial_lines"]).c_str()));
        }
        continue;
      }
      if (name == "multiline") {
        if (!top || seen_other) {
          return Err(kv.first, what + " must come first or right after docker/cri");
        }
        SLUICE_RETURN_IF_ERROR(Check(cfg, what, kMultilineRules));
        if (!cfg["firstline"])
          return Err(kv.first, what + ": `firstline` is required");
        MultilineConfig ml;
        SLUICE_ASSIGN_OR_RETURN(ml.firstline, Regex(cfg["firstline"], what));
        if (cfg["max_wait_time"]) {
          SLUICE_ASSIGN_OR_RETURN(ml.max_wait_ns, ParseConfigDuration(Str(cfg["max_wait_time"])));
        }
        if (cfg["max_lines"])
          ml.max_lines = std::max(1, std::atoi(Str(cfg["max_lines"]).c_str()));
        out->multiline = std::move(ml);
        continue;
      }
      seen_other = true;
      if (name == "metrics") {
        if (options_.warnings != nullptr) {
          options_.warnings->push_back(LineOf(kv.first) +
                                       ": stage `metrics` is not implemented and is ignored");
        }
        continue;
      }
      for (std::string_view refused : kRefusedStages) {
        if (name == refused) {
          return Err(kv.first, what +
                                   " is not implemented by sluice-agent, and ignoring it "
                                   "would change what is shipped");
        }
      }
      Result<std::unique_ptr<Stage>> stage = BuildOne(name, cfg, what, out);
      if (!stage.ok()) {
        const Status& s = stage.status();
        if (s.message().rfind("line ", 0) == 0)
          return s;
        return Err(kv.first, what + ": " + s.message());
      }
      if (*stage)
        list.push_back(std::move(*stage));
    }
    return list;
  }

  Result<std::unique_ptr<Stage>> BuildOne(const std::string& name, const YAML::Node& cfg,
                                          const std::string& what, CompiledPipeline* out) {
    if (name == "json") {
      SLUICE_RETURN_IF_ERROR(Check(cfg, what, kJsonRules));
      SLUICE_ASSIGN_OR_RETURN(auto exprs, Map(cfg["expressions"], "expressions"));
      std::vector<std::pair<std::string, JsonPath>> paths;
      for (auto& [k, v] : exprs) {
        SLUICE_ASSIGN_OR_RETURN(JsonPath path, ParseJsonExpression(v.empty() ? k : v));
        paths.emplace_back(k, std::move(path));
      }
      return NewJsonStage(std::move(paths), OptSource(cfg), IsTrue(cfg["drop_malformed"]));
    }
    if (name == "regex") {
      SLUICE_RETURN_IF_ERROR(Check(cfg, what, kRegexRules));
      if (!cfg["expression"])
        return InvalidArgumentError("`expression` is required");
      SLUICE_ASSIGN_OR_RETURN(auto re, Regex(cfg["expression"], what));
      return NewRegexStage(std::move(re), OptSource(cfg));
    }
    if (name == "logfmt") {
      SLUICE_RETURN_IF_ERROR(Check(cfg, what, kLogfmtRules));
      SLUICE_ASSIGN_OR_RETURN(auto mapping, Map(cfg["mapping"], "mapping"));
      return NewLogfmtStage(std::move(mapping), OptSource(cfg));
    }
    if (name == "labels" || name == "structured_metadata" || name == "static_labels") {
      SLUICE_ASSIGN_OR_RETURN(auto map, Map(cfg, what));
      if (name == "labels")
        return NewLabelsStage(std::move(map));
      if (name == "static_labels")
        return NewStaticLabelsStage(std::move(map));
      return NewStructuredMetadataStage(std::move(map));
    }
    if (name == "labeldrop" || name == "labelallow") {
      SLUICE_ASSIGN_OR_RETURN(auto names, List(cfg, what));
      return name == "labeldrop" ? NewLabelDropStage(std::move(names))
                                 : NewLabelAllowStage(std::move(names));
    }
    if (name == "output") {
      SLUICE_RETURN_IF_ERROR(Check(cfg, what, kOutputRules));
      if (!cfg["source"])
        return InvalidArgumentError("`source` is required");
      return NewOutputStage(Str(cfg["source"]));
    }
    if (name == "tenant") {
      SLUICE_RETURN_IF_ERROR(Check(cfg, what, kTenantRules));
      TenantSpec spec{Str(cfg["source"]), Str(cfg["value"]), Str(cfg["label"])};
      int set = !spec.source.empty() + !spec.value.empty() + !spec.label.empty();
      if (set != 1)
        return InvalidArgumentError("exactly one of source, value, label is required");
      return NewTenantStage(std::move(spec));
    }
    if (name == "timestamp")
      return BuildTimestamp(cfg, what);
    if (name == "drop")
      return BuildDrop(cfg, what);
    if (name == "match")
      return BuildMatch(cfg, what, out);
    if (name == "schema")
      return BuildSchema(cfg, what);
    return InvalidArgumentError("unknown pipeline stage `" + name + "`");
  }

  Result<std::unique_ptr<Stage>> BuildTimestamp(const YAML::Node& cfg, const std::string& what) {
    SLUICE_RETURN_IF_ERROR(Check(cfg, what, kTimestampRules));
    TimestampSpec spec;
    spec.source = Str(cfg["source"]);
    spec.format = Str(cfg["format"]);
    SLUICE_ASSIGN_OR_RETURN(spec.fallback_formats,
                            List(cfg["fallback_formats"], "fallback_formats"));
    std::string location = Str(cfg["location"]);
    if (!location.empty() && location != "UTC" && location != "Etc/UTC") {
      return Err(cfg["location"], what + ": only `location: UTC` is supported");
    }
    std::string action = Str(cfg["action_on_failure"]);
    if (!action.empty() && action != "fudge" && action != "skip") {
      return Err(cfg["action_on_failure"], what + ": action_on_failure must be fudge or skip");
    }
    spec.skip_on_failure = action == "skip";
    return NewTimestampStage(std::move(spec));
  }

  Result<std::unique_ptr<Stage>> BuildDrop(const YAML::Node& cfg, const std::string& what) {
    SLUICE_RETURN_IF_ERROR(Check(cfg, what, kDropRules));
    DropSpec spec;
    spec.source = OptSource(cfg);
    if (cfg["expression"]) {
      SLUICE_ASSIGN_OR_RETURN(spec.expression, Regex(cfg["expression"], what));
    }
    if (cfg["value"])
      spec.value = Str(cfg["value"]);
    if (cfg["older_than"]) {
      SLUICE_ASSIGN_OR_RETURN(spec.older_than_ns, ParseConfigDuration(Str(cfg["older_than"])));
    }
    if (cfg["longer_than"]) {
      SLUICE_ASSIGN_OR_RETURN(spec.longer_than, ParseByteSize(Str(cfg["longer_than"])));
    }
    if (cfg["drop_counter_reason"])
      spec.reason = Str(cfg["drop_counter_reason"]);
    return NewDropStage(std::move(spec), clock_);
  }

  Result<std::unique_ptr<Stage>> BuildMatch(const YAML::Node& cfg, const std::string& what,
                                            CompiledPipeline* out) {
    SLUICE_RETURN_IF_ERROR(Check(cfg, what, kMatchRules));
    if (!cfg["selector"])
      return InvalidArgumentError("`selector` is required");
    SLUICE_ASSIGN_OR_RETURN(Selector sel, ParseSelector(Str(cfg["selector"])));
    std::string action = cfg["action"] ? Str(cfg["action"]) : "keep";
    if (action != "keep" && action != "drop") {
      return Err(cfg["action"], what + ": action must be keep or drop");
    }
    std::string reason =
        cfg["drop_counter_reason"] ? Str(cfg["drop_counter_reason"]) : "match_stage";
    std::unique_ptr<Pipeline> nested;
    if (action == "keep") {
      if (!cfg["stages"])
        return InvalidArgumentError("`stages` is required with action keep");
      SLUICE_ASSIGN_OR_RETURN(auto list, BuildList(cfg["stages"], /*top=*/false, out));
      nested = std::make_unique<Pipeline>(std::move(list));
    }
    return NewMatchStage(std::move(sel), std::move(nested), action == "drop", reason);
  }

  Result<std::unique_ptr<Stage>> BuildSchema(const YAML::Node& cfg, const std::string& what) {
    SLUICE_RETURN_IF_ERROR(Check(cfg, what, kSchemaRules));
    std::string path = Str(cfg["path"]);
    if (path.empty())
      return InvalidArgumentError("`path` is required");
    if (path[0] != '/')
      path = JoinPath(options_.base_dir, path);
    std::string action = cfg["action"] ? Str(cfg["action"]) : "drop";
    if (action != "drop" && action != "quarantine") {
      return Err(cfg["action"], what + ": action must be drop or quarantine");
    }
    SLUICE_ASSIGN_OR_RETURN(auto schema, LoadSchemaFile(path, IsTrue(cfg["strict_format"])));
    return NewSchemaStage(std::move(schema),
                          action == "drop" ? SchemaAction::kDrop : SchemaAction::kQuarantine);
  }

  const PipelineBuildOptions& options_;
  const Clock* clock_;
};

}  // namespace

Result<CompiledPipeline> BuildPipeline(const YAML::Node& stages,
                                       const PipelineBuildOptions& options) {
  try {
    return Builder(options).Build(stages);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace sluice::agent
