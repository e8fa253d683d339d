// Parsing of the label strings in protobuf push bodies, as Loki parses them (Prometheus'
// ParseMetric): `{name="value", ...}`, optional spaces, a trailing comma, values in double
// quotes (Go escapes: \" \\ \n \t \r \a \b \f \v \xNN \NNN \uNNNN \UNNNNNNNN), single quotes or
// backticks, and an optional metric name before `{` (becomes __name__).
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "common/labels.h"
#include "common/status.h"

namespace sluice::ingest {

// Appends the pairs of `text` to `out` in input order, keeping empty values and repeated
// names (validation reports those). Errors are InvalidArgument with a Prometheus-style
// "1:<col>: parse error: ..." message.
Status ParseRawLabelString(std::string_view text, std::vector<Label>* out);

}  // namespace sluice::ingest
