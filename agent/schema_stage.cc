#include "agent/schema_stage.h"

#include <vector>

#include "common/file_system.h"
#include "schema/schema.h"

namespace sluice::agent {
namespace {

class SchemaStage final : public Stage {
 public:
  SchemaStage(std::shared_ptr<const schema::Schema> schema, SchemaAction action)
      : schema_(std::move(schema)), validator_(*schema_), action_(action) {}

  void Process(PipelineEntry* e) override {
    errors_.clear();
    Result<bool> valid = validator_.Validate(e->line, schema::ErrorMode::kFirst, &errors_, 1);
    if (valid.ok() && *valid) {
      e->schema_verdict = 1;
      return;
    }
    e->schema_verdict = -1;
    if (!valid.ok()) {
      e->schema_keyword = "invalid_json";
      e->schema_message = valid.status().message();
    } else if (!errors_.empty()) {
      e->schema_keyword = errors_[0].keyword.empty() ? "schema" : errors_[0].keyword;
      e->schema_message = errors_[0].instance_location + ": " + errors_[0].message;
    } else {
      e->schema_keyword = "schema";
    }
    if (action_ == SchemaAction::kDrop) {
      e->dropped = true;
      e->drop_reason = "schema";
    } else {
      e->labels[kSchemaErrorLabel] = e->schema_keyword;
    }
  }

 private:
  std::shared_ptr<const schema::Schema> schema_;  // outlives validator_ (declared first)
  schema::LineValidator validator_;
  SchemaAction action_;
  std::vector<schema::ValidationError> errors_;
};

}  // namespace

Result<std::shared_ptr<const schema::Schema>> LoadSchemaFile(const std::string& path,
                                                             bool strict_format) {
  Result<std::string> text = ReadFileToString(FileSystem::Default(), path);
  if (!text.ok())
    return text.status().WithPrefix("schema stage: reading " + path);
  schema::CompileOptions options;
  options.format = strict_format ? schema::FormatMode::kAssert : schema::FormatMode::kAnnotate;
  Result<std::shared_ptr<const schema::Schema>> compiled = schema::Schema::Compile(*text, options);
  if (!compiled.ok())
    return compiled.status().WithPrefix("schema stage: " + path);
  return compiled;
}

std::unique_ptr<Stage> NewSchemaStage(std::shared_ptr<const schema::Schema> schema,
                                      SchemaAction action) {
  return std::make_unique<SchemaStage>(std::move(schema), action);
}

}  // namespace sluice::agent
