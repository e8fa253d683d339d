// The parser guard's test (NewParserGuard in stage.h), shared with the storage-side pushdown of
// the same test (logql/engine/pipeline_builder.h, BareEntryPushdown), so both decide alike.
#pragma once

#include <string.h>

#include <span>
#include <string_view>
#include <vector>

#include "logql/log/stage.h"
#include "logql/log/substring.h"

namespace sluice::logql::log {

// `required` without the labels the guard cannot use: empty values, and values holding U+FFFD
// (what decoders put for invalid UTF-8).
std::vector<RequiredLabel> GuardableLabels(std::vector<RequiredLabel> required);

// False when the entry cannot end up with every `required` label after the parser: a label the
// entry does not already have (`has_label(name)`: stream / metadata labels) whose value is not
// in `line`, and `line` holds no '\\' (an escape could spell the value otherwise).
template <typename HasLabel>
bool GuardAdmits(std::string_view line, std::span<const RequiredLabel> required,
                 const HasLabel& has_label) {
  for (const RequiredLabel& r : required) {
    if (ContainsSubstring(line, r.value))
      continue;
    if (memchr(line.data(), '\\', line.size()) != nullptr)
      return true;
    if (!has_label(r.name))
      return false;
  }
  return true;
}

}  // namespace sluice::logql::log
