// LineFilterFn: a predicate on log lines that readers push down into decoding, so entries whose
// line it rejects are skipped before any merge or copy. Called on the iterating thread only; a
// null (empty) function accepts every line.
#pragma once

#include <functional>
#include <string_view>

namespace sluice::chunks {

using LineFilterFn = std::function<bool(std::string_view line)>;

}  // namespace sluice::chunks
