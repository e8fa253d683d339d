// Go formatting helpers used by the LogQL printer so canonical queries print exactly as
// Loki's String() does: Go's %v for floats, time.Duration.String, Prometheus model.Duration,
// go-humanize Bytes. (GoQuote and FormatFloat are declared in printer.h.)
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::logql::syntax {

// fmt.Sprint(float64): shortest digits, exponent form when exp < -4 or exp >= 6, as Go's
// %v does ("5", "0.5", "1e+06", "1.5e-05", "NaN", "+Inf").
std::string FormatGoFloatV(double v);
// time.Duration(ns).String(): "1h0m0s", "1.5s", "300ms", "-5m0s", "0s".
std::string FormatGoDuration(int64_t ns);
// Prometheus model.Duration(ns).String(): "5m", "1h30m", "1d", "2w", "0s" (ms precision).
std::string FormatPromDurationNs(int64_t ns);
// go-humanize Bytes(v) with spaces removed, as Loki prints bytes label filters: "42B",
// "1.0kB", "20MB".
std::string FormatHumanBytes(uint64_t v);

}  // namespace sluice::logql::syntax
