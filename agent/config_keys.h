// Key checking for the Promtail-shaped config: which keys each section knows, which Promtail
// keys we ignore with a warning and which we refuse. Shared by config.cc and pipeline checks.
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/status.h"

namespace sluice::agent {

struct KeyRules {
  std::vector<std::string_view> known;   // implemented
  std::vector<std::string_view> warn;    // Promtail's, ignored: cannot change what is shipped
  std::vector<std::string_view> refuse;  // Promtail's, not implemented, would change output
  bool any_key_suffix_sd_configs_warns = false;  // *_sd_configs
};

// "line N" (1-based) of a node, for messages.
std::string LineOf(const YAML::Node& node);

// Checks every key of the map `node` (what: "clients[0]" ...). Unknown key or refused key:
// InvalidArgument "line N: unknown key `k` in <what>". Warned keys are appended to *warnings.
// A non-map node is an error too.
Status CheckKeys(const YAML::Node& node, std::string_view what, const KeyRules& rules,
                 std::vector<std::string>* warnings);

}  // namespace sluice::agent
