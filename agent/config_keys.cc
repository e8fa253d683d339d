#include "agent/config_keys.h"

#include <algorithm>

namespace sluice::agent {
namespace {

bool Contains(const std::vector<std::string_view>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

}  // namespace

std::string LineOf(const YAML::Node& node) {
  return "line " + std::to_string(node.Mark().line + 1);
}

Status CheckKeys(const YAML::Node& node, std::string_view what, const KeyRules& rules,
                 std::vector<std::string>* warnings) {
  if (!node.IsDefined() || node.IsNull())
    return Status::Ok();
  if (!node.IsMap()) {
    return InvalidArgumentError(LineOf(node) + ": `" + std::string(what) + "` must be a map");
  }
  for (const auto& kv : node) {
    std::string key = kv.first.Scalar();
    std::string where = LineOf(kv.first);
    if (Contains(rules.known, key))
      continue;
    bool sd = rules.any_key_suffix_sd_configs_warns && key.size() > 11 &&
              key.compare(key.size() - 11, 11, "_sd_configs") == 0;
    if (Contains(rules.warn, key) || sd) {
      if (warnings != nullptr) {
        warnings->push_back(where + ": `" + key + "` in " + std::string(what) +
                            " is not implemented by sluice-agent and is ignored");
      }
      continue;
    }
    if (Contains(rules.refuse, key)) {
      return InvalidArgumentError(where + ": `" + key + "` in " + std::string(what) +
                                  " is not implemented by sluice-agent, and ignoring it would "
                                  "change what is shipped");
    }
    return InvalidArgumentError(where + ": unknown key `" + key + "` in " + std::string(what));
  }
  return Status::Ok();
}

}  // namespace sluice::agent
