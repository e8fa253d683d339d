// Our `schema` pipeline stage: `- schema: {path: FILE, action: drop|quarantine,
// strict_format: true}`. Each line is validated (sluice::schema, compiled once) and is either
// valid (shipped as is) or invalid: dropped (drop_reason "schema"), or kept with a
// `schema_error` label naming the failing keyword ("required", "pattern", ...; "invalid_json"
// when the line is not JSON), so it lands in a quarantine stream. Either way the entry carries
// the verdict, keyword and message (PipelineEntry::schema_*) for metrics and logs.
// strict_format: `format` keywords assert (default false: annotation only, as the spec says).
// Thread-safety: a stage owns a LineValidator: one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "agent/pipeline.h"
#include "common/result.h"

namespace sluice::schema {
class Schema;
}

namespace sluice::agent {

enum class SchemaAction { kDrop, kQuarantine };

inline constexpr char kSchemaErrorLabel[] = "schema_error";

Result<std::shared_ptr<const schema::Schema>> LoadSchemaFile(const std::string& path,
                                                             bool strict_format);

std::unique_ptr<Stage> NewSchemaStage(std::shared_ptr<const schema::Schema> schema,
                                      SchemaAction action);

}  // namespace sluice::agent
