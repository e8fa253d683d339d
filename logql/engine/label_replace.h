// label_replace(v, "dst", "replacement", "src", "regex") as Loki (and Prometheus) do it: the
// regex is fully anchored on src's value; on a match dst becomes the expanded replacement
// ($1, ${1}, $name, ${name}; Go's Regexp.Expand rules), an empty result deletes dst; no match
// leaves the series unchanged.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "logql/engine/step_matrix.h"

namespace sluice::logql::engine {

Result<StepMatrix> LabelReplace(const StepMatrix& in, std::string_view dst,
                                std::string_view replacement, std::string_view src,
                                std::string_view regex);

}  // namespace sluice::logql::engine
