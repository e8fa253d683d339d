// detected_level, as Loki's distributor field detection (discover_log_levels) computes it:
//  1. a stream label, then a structured-metadata pair, named like a level (level, LEVEL, Level,
//     log.level, severity, SEVERITY, Severity, SeverityText, lvl, LVL, Lvl, severity_text,
//     Severity_Text, SEVERITY_TEXT; first in this order wins), normalised (trc -> trace, inf /
//     information -> info, wrn / warning -> warn, err -> error, ...; other values kept as sent);
//  2. an OTLP severity_number metadata pair (1-4 trace, ... 21-24 fatal, 0 unknown);
//  3. a level field of a JSON line (top level and one nested object) or a logfmt line;
//  4. the earliest of the words trace, debug, fatal, critical, error, err, warning, warn, info
//     standing alone in the line (case-insensitive); else "unknown".
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/labels.h"

namespace sluice::ingest {

inline constexpr std::string_view kDetectedLevel = "detected_level";

// The detected_level value for an entry of a stream with `labels`, or "" when the entry already
// has a detected_level pair (which NormalizeExistingLevel handles). `metadata` in any order.
std::string DetectLevel(const Labels& labels, const std::vector<Label>& metadata,
                        std::string_view line);

// Rewrites the value of a detected_level pair sent by the client to Loki's lower-case form
// (e.g. "WARNING" -> "warn"); returns true when there was such a pair.
bool NormalizeExistingLevel(std::vector<Label>* metadata);

// The keyword heuristic alone (step 4); exposed for tests and benchmarks.
std::string_view DetectLevelFromKeywords(std::string_view line);

}  // namespace sluice::ingest
