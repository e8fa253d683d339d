// Factories for the pipeline stages (see pipeline.h); agent/pipeline_builder.cc maps Promtail's
// YAML onto them. Semantics follow Promtail's documented behaviour:
//   json / regex / logfmt: extract values from the line (or from the extracted value `source`)
//     into the extracted map;
//   labels / structured_metadata: copy extracted values (by source name, default the same name)
//     into stream labels / structured metadata; static_labels: set constants;
//   labeldrop / labelallow: remove labels; output: replace the line with an extracted value;
//   tenant: set the tenant from `value`, an extracted `source` or a `label`;
//   timestamp: parse an extracted value; drop: drop matching entries; match: run nested stages
//     (or drop) for entries whose labels match a LogQL stream selector (+ line filters).
// Thread-safety: each stage is for one thread (see pipeline.h).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/pipeline.h"
#include "common/matcher.h"
#include "common/result.h"

namespace re2 {
class RE2;
}

namespace sluice {
class Clock;
}

namespace sluice::agent {

// A JMESPath subset: identifiers, "quoted identifiers", `.` and `[index]`
// (`a.b[0]."c.d"`). Anything else (functions, filters, projections) is refused.
struct JsonPathStep {
  std::string field;  // used when index < 0
  int index = -1;
};

using JsonPath = std::vector<JsonPathStep>;
Result<JsonPath> ParseJsonExpression(std::string_view expr);

// `name -> expression`; an empty expression means the name itself.
std::unique_ptr<Stage> NewJsonStage(std::vector<std::pair<std::string, JsonPath>> expressions,
                                    std::optional<std::string> source, bool drop_malformed);
std::unique_ptr<Stage> NewRegexStage(std::shared_ptr<const re2::RE2> re,
                                     std::optional<std::string> source);
// `name -> logfmt key` (empty: the same name); an empty mapping extracts every key.
std::unique_ptr<Stage> NewLogfmtStage(std::map<std::string, std::string> mapping,
                                      std::optional<std::string> source);

// Parses logfmt `k=v k2="quoted v"` pairs (for tests and the stage).
std::vector<std::pair<std::string, std::string>> ParseLogfmt(std::string_view line);

// `label -> extracted source` (empty source: the label name).
std::unique_ptr<Stage> NewLabelsStage(std::map<std::string, std::string> labels);
std::unique_ptr<Stage> NewStructuredMetadataStage(std::map<std::string, std::string> fields);
std::unique_ptr<Stage> NewStaticLabelsStage(std::map<std::string, std::string> labels);
std::unique_ptr<Stage> NewLabelDropStage(std::vector<std::string> names);
std::unique_ptr<Stage> NewLabelAllowStage(std::vector<std::string> names);
std::unique_ptr<Stage> NewOutputStage(std::string source);

struct TenantSpec {
  std::string source;  // extracted key
  std::string value;   // constant
  std::string label;   // stream label
};

std::unique_ptr<Stage> NewTenantStage(TenantSpec spec);

struct TimestampSpec {
  std::string source;
  std::string format;  // RFC3339, RFC3339Nano, Unix, UnixMs, UnixUs, UnixNs or a Go layout
  std::vector<std::string> fallback_formats;
  int64_t location_offset_ns = 0;  // for layouts without a zone; `location` UTC / fixed only
  bool skip_on_failure = false;    // action_on_failure: skip; default fudge (keep the time)
};

Result<std::unique_ptr<Stage>> NewTimestampStage(TimestampSpec spec);
// Parses `value` with one Promtail timestamp format; exposed for tests.
Result<int64_t> ParseTimestampWithFormat(std::string_view value, std::string_view format,
                                         int64_t location_offset_ns);

struct DropSpec {
  std::optional<std::string> source;           // extracted key; default the line
  std::shared_ptr<const re2::RE2> expression;  // unanchored match
  std::optional<std::string> value;            // exact match
  int64_t older_than_ns = 0;                   // 0: off
  int64_t longer_than = 0;                     // bytes; 0: off
  std::string reason = "drop_stage";
};

std::unique_ptr<Stage> NewDropStage(DropSpec spec, const Clock* clock);

// A LogQL selector `{a="x", b=~"y"}` with optional line filters `|= "s"`, `!= "s"`,
// `|~ "re"`, `!~ "re"`.
struct LineFilter {
  bool negate = false;
  std::string literal;                    // for |= / !=
  std::shared_ptr<const re2::RE2> regex;  // for |~ / !~
};

struct Selector {
  Matchers matchers;
  std::vector<LineFilter> filters;
  bool Matches(const PipelineEntry& entry) const;
};

Result<Selector> ParseSelector(std::string_view text);

// action drop: matching entries are dropped; else matching entries run `nested`.
std::unique_ptr<Stage> NewMatchStage(Selector selector, std::unique_ptr<Pipeline> nested, bool drop,
                                     std::string reason);

}  // namespace sluice::agent
