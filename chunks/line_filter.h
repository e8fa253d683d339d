// LineFilterFn: a predicate on log lines that readers push down into decoding, so entries whose
// line it rejects are skipped before any merge or copy. `has_metadata` tells whether the entry
// holds structured metadata (a filter may only be sure of its answer for entries without: see
// logql::SelectLogsParams::bare_line_filter). Stream iterators decode chunks ahead on worker
// threads (chunks/scan_executor.h), so it may be called from several threads at once and must
// be thread-safe. A null (empty) function accepts every line.
#pragma once

#include <functional>
#include <string_view>

namespace sluice::chunks {

using LineFilterFn = std::function<bool(std::string_view line, bool has_metadata)>;

}  // namespace sluice::chunks
