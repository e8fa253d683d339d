// `| logfmt` (flags, params), `| regexp`, `| pattern`.
#include <map>
#include <unordered_set>

#include <re2/re2.h>

#include "logql/log/logfmt_decoder.h"
#include "logql/log/parser_hints.h"
#include "logql/log/pattern.h"
#include "logql/log/stage.h"

namespace sluice::logql::log {
namespace {

bool HasHighBit(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return true;
  }
  return false;
}

// Go's bytes.Map(removeInvalidUtf): each invalid byte (and U+FFFD) becomes a space.
void ReplaceInvalidUtf8(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      out->push_back(' ');
      ++i;
    } else if (s.substr(i, n) == "\xEF\xBF\xBD") {
      out->push_back(' ');
      i += n;
    } else {
      out->append(s.substr(i, n));
      i += n;
    }
  }
}

class LogfmtParser final : public Stage {
 public:
  LogfmtParser(LogfmtOptions opts, NeededLabels needed) : opts_(opts), hints_(std::move(needed)) {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    if (hints_.NoLabels(*lb))
      return true;
    dec_.Reset(*line);
    while (!dec_.EOL()) {
      if (!dec_.ScanKeyval()) {
        if (opts_.strict)
          break;
        continue;
      }
      key_.clear();
      AppendSanitizedLabelName(dec_.key(), true, &key_);
      if (key_.empty())
        continue;
      const int pos = lb->ResolveParsed(key_, &name_);
      if (pos == LabelsBuilder::kAlreadyExtracted || !hints_.ShouldExtract(name_))
        continue;
      std::string_view val = dec_.value();
      if (HasHighBit(val)) {
        ReplaceInvalidUtf8(val, &clean_);
        val = clean_;
      }
      if (!opts_.keep_empty && val.empty())
        continue;
      lb->SetParsed(pos, name_, val);
      if (hints_.AllRequiredExtracted(*lb))
        break;
    }
    if (opts_.strict && !dec_.err().empty())
      lb->SetError(kLogfmtParserErr, dec_.err());
    return true;
  }

 private:
  LogfmtOptions opts_;
  ParserHints hints_;
  LogfmtDecoder dec_;
  std::string key_, name_, clean_;
};

// `logfmt a, b="key"`: only the listed labels; missing ones are "".
class LogfmtExprParser final : public Stage {
 public:
  LogfmtExprParser(bool strict, std::vector<ExtractionParam> params, NeededLabels needed)
      : strict_(strict), params_(std::move(params)), hints_(std::move(needed)) {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    if (hints_.NoLabels(*lb))
      return true;
    for (const auto& p : params_) {
      if (!lb->BaseHas(p.label) && lb->CategoryOf(p.label) != LabelCategory::kStructuredMetadata) {
        lb->Set(LabelCategory::kParsed, p.label, "");
      }
    }
    dec_.Reset(*line);
    while (!dec_.EOL()) {
      if (!dec_.ScanKeyval()) {
        if (strict_)
          break;
        continue;
      }
      key_.clear();
      AppendSanitizedLabelName(dec_.key(), true, &key_);
      if (key_.empty())
        continue;
      const ExtractionParam* match = nullptr;
      for (const auto& p : params_) {
        if (p.expression == key_ || (p.expression.empty() && p.label == key_)) {
          match = &p;
          break;
        }
      }
      if (match == nullptr)
        continue;
      std::string_view val = dec_.value();
      if (HasHighBit(val)) {
        ReplaceInvalidUtf8(val, &clean_);
        val = clean_;
      }
      lb->ExtractedName(match->label, &name_);
      lb->Set(LabelCategory::kParsed, name_, val);
    }
    if (strict_ && !dec_.err().empty())
      lb->SetError(kLogfmtParserErr, dec_.err());
    return true;
  }

 private:
  bool strict_;
  std::vector<ExtractionParam> params_;
  ParserHints hints_;
  LogfmtDecoder dec_;
  std::string key_, name_, clean_;
};

class RegexpParser final : public Stage {
 public:
  RegexpParser(std::unique_ptr<RE2> re, std::vector<std::pair<int, std::string>> names)
      : re_(std::move(re)), names_(std::move(names)) {
    groups_.resize(re_->NumberOfCapturingGroups() + 1);
  }

  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    re2::StringPiece in(line->data(), line->size());
    if (!re_->Match(in, 0, in.size(), RE2::UNANCHORED, groups_.data(),
                    static_cast<int>(groups_.size()))) {
      return true;
    }
    for (const auto& [idx, name] : names_) {
      lb->ExtractedName(name, &name_);
      if (lb->Extracted(name_))
        continue;
      const auto& g = groups_[idx];
      lb->Set(LabelCategory::kParsed, name_, std::string_view(g.data(), g.size()));
    }
    return true;
  }

 private:
  std::unique_ptr<RE2> re_;
  std::vector<std::pair<int, std::string>> names_;  // group index, sanitised name
  std::vector<re2::StringPiece> groups_;
  std::string name_;
};

class PatternParser final : public Stage {
 public:
  explicit PatternParser(Pattern p) : p_(std::move(p)) {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    p_.Matches(*line, &captures_);
    for (size_t i = 0; i < captures_.size(); ++i) {
      lb->ExtractedName(p_.names()[i], &name_);
      if (lb->Extracted(name_))
        continue;
      lb->Set(LabelCategory::kParsed, name_, captures_[i]);
    }
    return true;
  }

 private:
  Pattern p_;
  std::vector<std::string_view> captures_;
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<Stage>> NewLogfmtParser(LogfmtOptions options,
                                               std::vector<ExtractionParam> params,
                                               NeededLabels needed) {
  if (params.empty()) {
    return std::unique_ptr<Stage>(std::make_unique<LogfmtParser>(options, std::move(needed)));
  }
  for (auto& p : params) {
    if (p.label.empty())
      return InvalidArgumentError("invalid extracted label name ''");
    if (p.expression.empty())
      p.expression = p.label;
  }
  return std::unique_ptr<Stage>(
      std::make_unique<LogfmtExprParser>(options.strict, std::move(params), std::move(needed)));
}

Result<std::unique_ptr<Stage>> NewRegexpParser(std::string_view re) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto r = std::make_unique<RE2>(re2::StringPiece(re.data(), re.size()), opts);
  if (!r->ok()) {
    return InvalidArgumentError("error parsing regexp: " + r->error() + ": `" + std::string(re) +
                                "`");
  }
  std::vector<std::pair<int, std::string>> names;
  for (const auto& [name, idx] : r->NamedCapturingGroups()) {
    std::string s = SanitizeLabelName(name);
    if (s.empty())
      return InvalidArgumentError("invalid extracted label name '" + name + "'");
    names.emplace_back(idx, std::move(s));
  }
  if (names.empty())
    return InvalidArgumentError("at least one named capture must be supplied");
  std::sort(names.begin(), names.end());
  return std::unique_ptr<Stage>(std::make_unique<RegexpParser>(std::move(r), std::move(names)));
}

Result<std::unique_ptr<Stage>> NewPatternParser(std::string_view pattern) {
  SLUICE_ASSIGN_OR_RETURN(Pattern p, Pattern::ParseForParser(pattern));
  return std::unique_ptr<Stage>(std::make_unique<PatternParser>(std::move(p)));
}

}  // namespace sluice::logql::log
