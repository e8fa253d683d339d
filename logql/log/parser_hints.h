// ParserHints: which labels a parser must extract (Loki's parser_hints.go), from the
// NeededLabels the engine passes to the parser factories (stage.h).
// Thread-safety: immutable after construction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "logql/log/labels_builder.h"
#include "logql/log/stage.h"

namespace sluice::logql::log {

class ParserHints {
 public:
  explicit ParserHints(NeededLabels needed) {
    if (needed) {
      all_ = false;
      names_ = std::move(*needed);
    }
  }

  bool ShouldExtract(std::string_view name) const {
    if (all_)
      return true;
    for (const auto& n : names_) {
      if (n == name)
        return true;
    }
    return false;
  }

  // True if some needed name starts with `prefix` (descend into a json object).
  bool ShouldExtractPrefix(std::string_view prefix) const {
    if (all_)
      return true;
    for (const auto& n : names_) {
      if (std::string_view(n).substr(0, prefix.size()) == prefix)
        return true;
    }
    return false;
  }

  // Every needed label was already extracted for this entry.
  bool AllRequiredExtracted(const LabelsBuilder& lb) const {
    if (all_ || names_.empty())
      return false;
    for (const auto& n : names_) {
      if (!lb.Extracted(n))
        return false;
    }
    return true;
  }

  // The parser has nothing to do (Loki skips parsing, errors included).
  bool NoLabels(const LabelsBuilder& lb) const {
    return (!all_ && names_.empty()) || AllRequiredExtracted(lb);
  }

 private:
  bool all_ = true;
  std::vector<std::string> names_;
};

}  // namespace sluice::logql::log
