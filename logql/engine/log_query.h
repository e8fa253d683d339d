// Log queries (`{selector} | stages`): one pass over the Querier in the requested direction,
// the pipeline run per entry (label state per stream, keyed by StreamHash), entries kept until
// `limit` across all streams, `interval` honoured as Loki's readStreams does, results split
// into streams by their full label set after the pipeline and sorted by label string.
// Range: [start, end). Instant (better than Loki, which rejects these): (time - 1h, time],
// newest `limit` entries (oldest with direction forward).
// Each entry also carries its structured metadata and parsed labels apart, and each stream its
// indexed labels, for Loki's categorize-labels encoding.
// Thread-safety: none (one call per query).
#pragma once

#include "common/result.h"
#include "logql/engine.h"
#include "logql/engine/eval_context.h"
#include "logql/syntax/ast.h"

namespace sluice::logql::engine {

// Look-back of an instant log query.
inline constexpr int64_t kInstantLogLookbackNs = 3600LL * 1'000'000'000;

Result<QueryResult> ExecLogQuery(const syntax::LogExpr& e, const QueryParams& params,
                                 EvalContext* ctx);

}  // namespace sluice::logql::engine
