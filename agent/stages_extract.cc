// json, regex and logfmt stages.
#include <cctype>

#include <re2/re2.h>
#include <simdjson.h>

#include "agent/stages.h"

namespace sluice::agent {
namespace {

const std::string* SourceText(const PipelineEntry& e, const std::optional<std::string>& source) {
  if (!source)
    return &e.line;
  auto it = e.extracted.find(*source);
  return it == e.extracted.end() ? nullptr : &it->second;
}

// A JSON value as Promtail's labels stage renders it: strings bare, others as JSON.
bool ValueText(simdjson::dom::element v, std::string* out) {
  switch (v.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return false;
    case simdjson::dom::element_type::STRING:
      *out = std::string(std::string_view(v.get_string().value_unsafe()));
      return true;
    default:
      *out = simdjson::minify(v);
      return true;
  }
}

class JsonStage final : public Stage {
 public:
  JsonStage(std::vector<std::pair<std::string, JsonPath>> exprs, std::optional<std::string> source,
            bool drop_malformed)
      : exprs_(std::move(exprs)), source_(std::move(source)), drop_malformed_(drop_malformed) {}

  void Process(PipelineEntry* e) override {
    const std::string* text = SourceText(*e, source_);
    if (text == nullptr)
      return;
    simdjson::dom::element doc;
    if (parser_.parse(*text).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      if (drop_malformed_) {
        e->dropped = true;
        e->drop_reason = "malformed_json";
      }
      return;
    }
    for (const auto& [name, path] : exprs_) {
      simdjson::dom::element cur = doc;
      bool found = true;
      for (const JsonPathStep& step : path) {
        simdjson::dom::element next;
        auto err = step.index >= 0 ? cur.at(static_cast<size_t>(step.index)).get(next)
                                   : cur[step.field].get(next);
        if (err != simdjson::SUCCESS) {
          found = false;
          break;
        }
        cur = next;
      }
      std::string value;
      if (found && ValueText(cur, &value))
        e->extracted[name] = std::move(value);
    }
  }

 private:
  std::vector<std::pair<std::string, JsonPath>> exprs_;
  std::optional<std::string> source_;
  bool drop_malformed_;
  simdjson::dom::parser parser_;
};

class RegexStage final : public Stage {
 public:
  RegexStage(std::shared_ptr<const re2::RE2> re, std::optional<std::string> source)
      : re_(std::move(re)), source_(std::move(source)) {}

  void Process(PipelineEntry* e) override {
    const std::string* text = SourceText(*e, source_);
    if (text == nullptr)
      return;
    const int n = re_->NumberOfCapturingGroups() + 1;
    groups_.assign(static_cast<size_t>(n), re2::StringPiece());
    if (!re_->Match(*text, 0, text->size(), re2::RE2::UNANCHORED, groups_.data(), n))
      return;
    for (const auto& [name, index] : re_->NamedCapturingGroups()) {
      if (groups_[index].data() != nullptr)
        e->extracted[name] = std::string(groups_[index].data(), groups_[index].size());
    }
  }

 private:
  std::shared_ptr<const re2::RE2> re_;
  std::optional<std::string> source_;
  std::vector<re2::StringPiece> groups_;
};

class LogfmtStage final : public Stage {
 public:
  LogfmtStage(std::map<std::string, std::string> mapping, std::optional<std::string> source)
      : mapping_(std::move(mapping)), source_(std::move(source)) {}

  void Process(PipelineEntry* e) override {
    const std::string* text = SourceText(*e, source_);
    if (text == nullptr)
      return;
    auto pairs = ParseLogfmt(*text);
    if (mapping_.empty()) {
      for (auto& [k, v] : pairs)
        e->extracted[k] = v;
      return;
    }
    for (const auto& [name, key] : mapping_) {
      const std::string& want = key.empty() ? name : key;
      for (auto& [k, v] : pairs) {
        if (k == want)
          e->extracted[name] = v;
      }
    }
  }

 private:
  std::map<std::string, std::string> mapping_;
  std::optional<std::string> source_;
};

}  // namespace

Result<JsonPath> ParseJsonExpression(std::string_view expr) {
  JsonPath path;
  size_t i = 0;
  auto bad = [&](const char* why) {
    return InvalidArgumentError("unsupported JMESPath expression `" + std::string(expr) +
                                "`: " + why);
  };
  bool need_field = true;
  while (i < expr.size()) {
    char c = expr[i];
    if (c == '[') {
      size_t close = expr.find(']', i);
      if (close == std::string_view::npos || close == i + 1)
        return bad("unclosed [");
      int index = 0;
      for (size_t j = i + 1; j < close; ++j) {
        if (!std::isdigit(static_cast<unsigned char>(expr[j])) || index > 1'000'000) {
          return bad("only non-negative [index] is supported");
        }
        index = index * 10 + (expr[j] - '0');
      }
      path.push_back(JsonPathStep{"", index});
      i = close + 1;
      need_field = false;
      continue;
    }
    if (c == '.') {
      if (need_field)
        return bad("unexpected .");
      need_field = true;
      ++i;
      continue;
    }
    if (!need_field)
      return bad("expected . or [");
    if (c == '"') {
      std::string field;
      ++i;
      while (i < expr.size() && expr[i] != '"') {
        if (expr[i] == '\\' && i + 1 < expr.size())
          ++i;
        field += expr[i++];
      }
      if (i >= expr.size())
        return bad("unclosed quote");
      ++i;
      path.push_back(JsonPathStep{std::move(field), -1});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i;
      while (i < expr.size() &&
             (std::isalnum(static_cast<unsigned char>(expr[i])) || expr[i] == '_')) {
        ++i;
      }
      path.push_back(JsonPathStep{std::string(expr.substr(start, i - start)), -1});
    } else {
      return bad("unexpected character");
    }
    need_field = false;
  }
  if (path.empty() || need_field)
    return bad("empty");
  return path;
}

std::vector<std::pair<std::string, std::string>> ParseLogfmt(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ')
      ++i;
    size_t key_start = i;
    while (i < line.size() && line[i] != '=' && line[i] != ' ')
      ++i;
    std::string key(line.substr(key_start, i - key_start));
    std::string value;
    if (i < line.size() && line[i] == '=') {
      ++i;
      if (i < line.size() && line[i] == '"') {
        ++i;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            ++i;
            char c = line[i];
            value += c == 'n' ? '\n' : c == 't' ? '\t' : c;
          } else {
            value += line[i];
          }
          ++i;
        }
        if (i < line.size())
          ++i;
      } else {
        size_t vs = i;
        while (i < line.size() && line[i] != ' ')
          ++i;
        value = std::string(line.substr(vs, i - vs));
      }
    }
    if (!key.empty())
      out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::unique_ptr<Stage> NewJsonStage(std::vector<std::pair<std::string, JsonPath>> expressions,
                                    std::optional<std::string> source, bool drop_malformed) {
  return std::make_unique<JsonStage>(std::move(expressions), std::move(source), drop_malformed);
}

std::unique_ptr<Stage> NewRegexStage(std::shared_ptr<const re2::RE2> re,
                                     std::optional<std::string> source) {
  return std::make_unique<RegexStage>(std::move(re), std::move(source));
}

std::unique_ptr<Stage> NewLogfmtStage(std::map<std::string, std::string> mapping,
                                      std::optional<std::string> source) {
  return std::make_unique<LogfmtStage>(std::move(mapping), std::move(source));
}

}  // namespace sluice::agent
