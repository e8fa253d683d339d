// LineFilterFn: a predicate on log lines that readers push down into decoding, so entries whose
// line it rejects are skipped before any merge or copy. Stream iterators decode chunks ahead on
// worker threads (chunks/scan_executor.h), so it may be called from several threads at once
// and must be thread-safe. A null (empty) function accepts every line.
#pragma once

#include <functional>
#include <string_view>

namespace sluice::chunks {

using LineFilterFn = std::function<bool(std::string_view line)>;

}  // namespace sluice::chunks
