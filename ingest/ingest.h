// ingest/: the Loki push path without HTTP (house style layer L1: common + proto only).
//
//   ingest::PushOptions opts;                       // Loki defaults (limits.h)
//   opts.per_tenant["noisy"].ingestion_rate_mb = 4;
//   ingest::PushHandler handler(opts, &storage);    // storage implements ingest::Appender
//   ingest::PushResponse r = handler.Handle({.tenant = "fake",
//                                            .content_type = "application/json",
//                                            .content_encoding = "gzip",
//                                            .body = body});
//   // -> r.http_status (204 / 400 / 413 / 422 / 429 / 500), r.body (plain text, Loki's texts)
//
// Tenant IDs are checked by sluice::ValidateTenantId (common/tenant.h), which every endpoint uses.
// DecodePushBody (push_decoder.h) is the decoding step alone, for tests, fuzzers and benches.
#pragma once

#include "common/tenant.h"        // IWYU pragma: export
#include "ingest/appender.h"      // IWYU pragma: export
#include "ingest/limits.h"        // IWYU pragma: export
#include "ingest/push_decoder.h"  // IWYU pragma: export
#include "ingest/push_handler.h"  // IWYU pragma: export
