// Prometheus-style relabeling (relabel_configs) over a target's label set, as Promtail applies
// it to discovered files: actions replace, keep, drop, labelmap, labeldrop, labelkeep (plus
// lowercase, uppercase and hashmod, which are cheap). Regexes are RE2, fully anchored;
// replacements expand $1, ${1}, $name and ${name}.
//
//   SLUICE_ASSIGN_OR_RETURN(RelabelConfig rc, RelabelConfig::Make(RelabelAction::kReplace, ...));
//   std::optional<LabelMap> out = Relabel(labels, configs);  // nullopt: target dropped
//
// Thread-safety: a RelabelConfig is immutable after Make and may be shared.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace re2 {
class RE2;
}

namespace sluice::agent {

// Labels while a target is being built: may hold __meta_* and __path__ style labels.
using LabelMap = std::map<std::string, std::string>;

enum class RelabelAction {
  kReplace,
  kKeep,
  kDrop,
  kLabelMap,
  kLabelDrop,
  kLabelKeep,
  kLowercase,
  kUppercase,
  kHashMod,
};

Result<RelabelAction> ParseRelabelAction(std::string_view name);

struct RelabelConfig {
  RelabelAction action = RelabelAction::kReplace;
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string target_label;
  std::string replacement = "$1";
  uint64_t modulus = 0;
  std::shared_ptr<const re2::RE2> regex;  // anchored; default (.*)

  // Compiles `regex` (anchored) and checks the fields the action needs.
  static Result<RelabelConfig> Make(RelabelAction action, std::vector<std::string> source_labels,
                                    std::string regex = "(.*)", std::string target_label = "",
                                    std::string replacement = "$1");
  // Checks the fields the action needs (target_label for replace, ...); called by Make.
  Status Validate() const;
};

// Applies the configs in order; nullopt when a keep/drop rule drops the target.
std::optional<LabelMap> Relabel(const LabelMap& labels, const std::vector<RelabelConfig>& configs);

// Expands $1, ${1}, $name, ${name} in `tmpl` with the groups of a successful match of `re`
// against `input`. Unknown groups expand to "".
std::string ExpandTemplate(const re2::RE2& re, std::string_view input, std::string_view tmpl);

}  // namespace sluice::agent
