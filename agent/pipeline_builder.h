// Compiles a scrape config's `pipeline_stages` (YAML) into a CompiledPipeline: the container
// format and multiline settings the file reader needs, and the Pipeline of the other stages.
//
//   PipelineBuildOptions options{.base_dir = "/etc/sluice", .job_name = "app"};
//   SLUICE_ASSIGN_OR_RETURN(CompiledPipeline p, BuildPipeline(node, options));
//
// Errors (InvalidArgument) name the stage and line: unknown stage or key, bad regex, a schema
// file that does not load, docker/cri not first, multiline not right after them. Stages that
// Promtail has and we do not: `metrics` is ignored with a warning (it only counts), the rest
// (pack, template, replace, limit, geoip, ...) are errors since they would change the output.
// Thread-safety: stateless; the result is for one thread (see pipeline.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "agent/line_decoder.h"
#include "agent/multiline.h"
#include "agent/pipeline.h"
#include "common/result.h"

namespace sluice {
class Clock;
}

namespace sluice::agent {

struct PipelineBuildOptions {
  std::string base_dir = ".";  // relative schema paths resolve against it
  std::string job_name;
  std::vector<std::string>* warnings = nullptr;  // may be null
  const Clock* clock = nullptr;                  // for drop's older_than; null: Clock::Default()
};

struct CompiledPipeline {
  // kAuto unless a docker or cri stage names the format.
  LineFormat format = LineFormat::kAuto;
  int cri_max_partial_lines = 100;  // cri stage's max_partial_lines (Promtail default)
  std::optional<MultilineConfig> multiline;
  std::unique_ptr<Pipeline> pipeline;
};

Result<CompiledPipeline> BuildPipeline(const YAML::Node& stages,
                                       const PipelineBuildOptions& options);

}  // namespace sluice::agent
