// labels, structured_metadata, static_labels, labeldrop, labelallow, output and tenant stages.
#include <algorithm>

#include "agent/stages.h"
#include "common/labels.h"

namespace sluice::agent {
namespace {

const std::string* Extracted(const PipelineEntry& e, const std::string& name,
                             const std::string& source) {
  auto it = e.extracted.find(source.empty() ? name : source);
  return it == e.extracted.end() ? nullptr : &it->second;
}

class LabelsStage final : public Stage {
 public:
  explicit LabelsStage(std::map<std::string, std::string> labels) : labels_(std::move(labels)) {}

  void Process(PipelineEntry* e) override {
    for (const auto& [name, source] : labels_) {
      const std::string* v = Extracted(*e, name, source);
      if (v != nullptr && !v->empty())
        e->labels[name] = *v;
    }
  }

 private:
  std::map<std::string, std::string> labels_;
};

class StructuredMetadataStage final : public Stage {
 public:
  explicit StructuredMetadataStage(std::map<std::string, std::string> fields)
      : fields_(std::move(fields)) {}

  void Process(PipelineEntry* e) override {
    for (const auto& field : fields_) {
      const std::string& name = field.first;  // not a structured binding: the lambda takes it
      const std::string* v = Extracted(*e, name, field.second);
      if (v == nullptr || v->empty())
        continue;
      // A name set twice keeps the last value, as a map would.
      auto it = std::find_if(e->metadata.begin(), e->metadata.end(),
                             [&](const auto& kv) { return kv.first == name; });
      if (it != e->metadata.end()) {
        it->second = *v;
      } else {
        e->metadata.emplace_back(name, *v);
      }
    }
  }

 private:
  std::map<std::string, std::string> fields_;
};

class StaticLabelsStage final : public Stage {
 public:
  explicit StaticLabelsStage(std::map<std::string, std::string> labels)
      : labels_(std::move(labels)) {}

  void Process(PipelineEntry* e) override {
    for (const auto& [k, v] : labels_) {
      if (v.empty()) {
        e->labels.erase(k);
      } else {
        e->labels[k] = v;
      }
    }
  }

 private:
  std::map<std::string, std::string> labels_;
};

class LabelSetStage final : public Stage {
 public:
  LabelSetStage(std::vector<std::string> names, bool allow)
      : names_(std::move(names)), allow_(allow) {}

  void Process(PipelineEntry* e) override {
    for (auto it = e->labels.begin(); it != e->labels.end();) {
      bool listed = std::find(names_.begin(), names_.end(), it->first) != names_.end();
      // Internal labels (__path__ ...) are not the user's to allow away.
      bool internal = it->first.rfind("__", 0) == 0;
      if ((allow_ && !listed && !internal) || (!allow_ && listed)) {
        it = e->labels.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  std::vector<std::string> names_;
  bool allow_;
};

class OutputStage final : public Stage {
 public:
  explicit OutputStage(std::string source) : source_(std::move(source)) {}

  void Process(PipelineEntry* e) override {
    auto it = e->extracted.find(source_);
    if (it != e->extracted.end())
      e->line = it->second;
  }

 private:
  std::string source_;
};

class TenantStage final : public Stage {
 public:
  explicit TenantStage(TenantSpec spec) : spec_(std::move(spec)) {}

  void Process(PipelineEntry* e) override {
    if (!spec_.value.empty()) {
      e->tenant = spec_.value;
    } else if (!spec_.source.empty()) {
      auto it = e->extracted.find(spec_.source);
      if (it != e->extracted.end() && !it->second.empty())
        e->tenant = it->second;
    } else if (!spec_.label.empty()) {
      auto it = e->labels.find(spec_.label);
      if (it != e->labels.end() && !it->second.empty())
        e->tenant = it->second;
    }
  }

 private:
  TenantSpec spec_;
};

}  // namespace

std::unique_ptr<Stage> NewLabelsStage(std::map<std::string, std::string> labels) {
  return std::make_unique<LabelsStage>(std::move(labels));
}

std::unique_ptr<Stage> NewStructuredMetadataStage(std::map<std::string, std::string> fields) {
  return std::make_unique<StructuredMetadataStage>(std::move(fields));
}

std::unique_ptr<Stage> NewStaticLabelsStage(std::map<std::string, std::string> labels) {
  return std::make_unique<StaticLabelsStage>(std::move(labels));
}

std::unique_ptr<Stage> NewLabelDropStage(std::vector<std::string> names) {
  return std::make_unique<LabelSetStage>(std::move(names), false);
}

std::unique_ptr<Stage> NewLabelAllowStage(std::vector<std::string> names) {
  return std::make_unique<LabelSetStage>(std::move(names), true);
}

std::unique_ptr<Stage> NewOutputStage(std::string source) {
  return std::make_unique<OutputStage>(std::move(source));
}

std::unique_ptr<Stage> NewTenantStage(TenantSpec spec) {
  return std::make_unique<TenantStage>(std::move(spec));
}

}  // namespace sluice::agent
