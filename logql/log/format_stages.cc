// line_format, label_format, drop, keep, decolorize.
#include <unordered_set>

#include <re2/re2.h>

#include "logql/log/stage.h"
#include "logql/log/template.h"

namespace sluice::logql::log {
namespace {

class LineFormat final : public Stage {
 public:
  explicit LineFormat(Template t) : t_(std::move(t)) {}

  bool Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb) override {
    if (!t_.simple_field().empty()) {
      buf_.assign(lb->GetOrEmpty(t_.simple_field()));
      *line = buf_;
      return true;
    }
    Status st = t_.Render(*lb, *line, ts_ns, &buf_);
    if (!st.ok()) {
      lb->SetError(kTemplateFormatErr, st.message());
      return true;
    }
    *line = buf_;
    return true;
  }

 private:
  Template t_;
  std::string buf_;
};

class LabelFormat final : public Stage {
 public:
  struct Rule {
    std::string name;
    std::string source;            // rename
    std::optional<Template> tmpl;  // template
  };

  explicit LabelFormat(std::vector<Rule> rules) : rules_(std::move(rules)) {}

  bool Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb) override {
    bool snapshot = false;
    for (const Rule& r : rules_) {
      if (!r.tmpl) {
        auto v = lb->Get(r.source);
        if (v) {
          value_.assign(*v);
          lb->Set(LabelCategory::kParsed, r.name, value_);
          lb->Del(r.source);
        }
        continue;
      }
      if (!snapshot) {  // templates read the labels as they were before the first template
        snap_.SetStream(Labels());
        snap_.Reset();
        lb->ForEachSorted([&](std::string_view n, std::string_view v) {
          snap_.Set(LabelCategory::kParsed, n, v);
        });
        snapshot = true;
      }
      Status st = r.tmpl->Render(snap_, *line, ts_ns, &value_);
      if (!st.ok()) {
        lb->SetError(kTemplateFormatErr, st.message());
        continue;
      }
      lb->Set(LabelCategory::kParsed, r.name, value_);
    }
    return true;
  }

 private:
  std::vector<Rule> rules_;
  LabelsBuilder snap_;
  std::string value_;
};

bool IsErrorLabel(std::string_view n) {
  return n == kErrorLabel || n == kErrorDetailsLabel;
}

class DropLabels final : public Stage {
 public:
  explicit DropLabels(std::vector<NamedLabelMatcher> ls) : ls_(std::move(ls)) {}

  bool Process(int64_t, std::string_view*, LabelsBuilder* lb) override {
    for (const auto& l : ls_) {
      if (l.matcher) {
        if (l.matcher->Matches(lb->GetOrEmpty(l.name)))
          lb->Del(l.name);
      } else {
        lb->Del(l.name);
      }
    }
    return true;
  }

 private:
  std::vector<NamedLabelMatcher> ls_;
};

class KeepLabels final : public Stage {
 public:
  explicit KeepLabels(std::vector<NamedLabelMatcher> ls) : ls_(std::move(ls)) {}

  bool Process(int64_t, std::string_view*, LabelsBuilder* lb) override {
    if (ls_.empty())
      return true;
    size_t n = 0;
    lb->ForEachSorted([&](std::string_view name, std::string_view value) {
      if (IsErrorLabel(name))
        return;
      for (const auto& k : ls_) {
        if (k.matcher ? (k.matcher->name() == name && k.matcher->Matches(value)) : k.name == name) {
          return;
        }
      }
      if (n == drop_.size())
        drop_.emplace_back();
      drop_[n++].assign(name);
    });
    for (size_t i = 0; i < n; ++i)
      lb->Del(drop_[i]);
    return true;
  }

 private:
  std::vector<NamedLabelMatcher> ls_;
  std::vector<std::string> drop_;
};

class Decolorize final : public Stage {
 public:
  Decolorize()
      : re_("[\\x{1B}\\x{9B}][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\\x{07})|"
            "(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))") {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder*) override {
    if (line->find('\x1b') == std::string_view::npos &&
        line->find("\xc2\x9b") == std::string_view::npos) {
      return true;
    }
    buf_.assign(*line);
    RE2::GlobalReplace(&buf_, re_, "");
    *line = buf_;
    return true;
  }

 private:
  RE2 re_;
  std::string buf_;
};

}  // namespace

Result<std::unique_ptr<Stage>> NewLineFormat(std::string_view tmpl) {
  auto t = Template::Compile("line", tmpl);
  if (!t.ok())
    return InvalidArgumentError("invalid line template: " + t.status().message());
  return std::unique_ptr<Stage>(std::make_unique<LineFormat>(std::move(*t)));
}

Result<std::unique_ptr<Stage>> NewLabelFormat(std::vector<LabelFormatRule> rules) {
  std::unordered_set<std::string> seen;
  std::vector<LabelFormat::Rule> out;
  for (auto& r : rules) {
    if (r.name == kErrorLabel)
      return InvalidArgumentError(r.name + " cannot be formatted");
    if (!seen.insert(r.name).second) {
      return InvalidArgumentError("multiple label name '" + r.name +
                                  "' not allowed in a single format operation");
    }
    LabelFormat::Rule rule;
    rule.name = r.name;
    if (r.is_template) {
      auto t = Template::Compile("label", r.value);
      if (!t.ok()) {
        return InvalidArgumentError("invalid template for label '" + r.name +
                                    "': " + t.status().message());
      }
      rule.tmpl = std::move(*t);
    } else {
      rule.source = r.value;
    }
    out.push_back(std::move(rule));
  }
  return std::unique_ptr<Stage>(std::make_unique<LabelFormat>(std::move(out)));
}

std::unique_ptr<Stage> NewDropLabels(std::vector<NamedLabelMatcher> labels) {
  return std::make_unique<DropLabels>(std::move(labels));
}

std::unique_ptr<Stage> NewKeepLabels(std::vector<NamedLabelMatcher> labels) {
  return std::make_unique<KeepLabels>(std::move(labels));
}

std::unique_ptr<Stage> NewDecolorize() {
  return std::make_unique<Decolorize>();
}

}  // namespace sluice::logql::log
