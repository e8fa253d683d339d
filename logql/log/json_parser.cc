// `| json` (all fields, or label="path" params) and `| unpack`, over simdjson On-Demand.
#include <cstring>

#include <simdjson.h>

#include "logql/log/json_path.h"
#include "logql/log/parser_hints.h"
#include "logql/log/stage.h"

namespace sluice::logql::log {
namespace {

namespace od = simdjson::ondemand;

// jsonparser's texts, which Loki puts in __error_details__.
constexpr std::string_view kMalformedObject =
    "Value looks like object, but can't find closing '}' symbol";
constexpr std::string_view kMalformedString = "Value is string, but can't find closing '\"' symbol";
constexpr std::string_view kMalformedJson = "Malformed JSON error";

std::string_view ErrorText(simdjson::error_code e) {
  switch (e) {
    case simdjson::UNCLOSED_STRING:
      return kMalformedString;
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::INCORRECT_TYPE:
    case simdjson::EMPTY:
      return kMalformedObject;
    default:
      return kMalformedJson;
  }
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// A copy of the line with simdjson's padding; reused across entries.
class PaddedLine {
 public:
  std::string_view Load(std::string_view line) {
    if (buf_.size() < line.size() + simdjson::SIMDJSON_PADDING) {
      buf_.resize(2 * line.size() + simdjson::SIMDJSON_PADDING);
    }
    std::memcpy(buf_.data(), line.data(), line.size());
    std::memset(buf_.data() + line.size(), 0, simdjson::SIMDJSON_PADDING);
    return std::string_view(buf_.data(), line.size());
  }

  size_t capacity() const { return buf_.size(); }

 private:
  std::vector<char> buf_;
};

class JsonParser final : public Stage {
 public:
  explicit JsonParser(NeededLabels needed) : hints_(std::move(needed)) {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    if (hints_.NoLabels(*lb))
      return true;
    lb_ = lb;
    std::string_view l = *line;
    size_t p = 0;
    while (p < l.size() && (l[p] == ' ' || l[p] == '\t' || l[p] == '\n' || l[p] == '\r'))
      ++p;
    if (p == l.size() || l[p] != '{') {
      lb->SetError(kJsonParserErr, kMalformedObject);
      return true;
    }
    std::string_view padded = pad_.Load(l);
    line_begin_ = padded.data();
    line_end_ = padded.data() + padded.size();
    od::document doc;
    if (auto e = parser_.iterate(padded.data(), padded.size(), pad_.capacity()).get(doc)) {
      lb->SetError(kJsonParserErr, ErrorText(e));
      return true;
    }
    od::object obj;
    simdjson::error_code e = doc.get_object().get(obj);
    if (!e) {
      prefix_.clear();
      e = Walk(obj);
    }
    if (e && e != kStop)
      lb->SetError(kJsonParserErr, ErrorText(e));
    return true;
  }

 private:
  // Returned by Walk when every needed label was found (not an error).
  static constexpr simdjson::error_code kStop = simdjson::NUM_ERROR_CODES;

  simdjson::error_code Walk(od::object obj) {
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field))
        return e;
      std::string_view key;
      if (!PlainKey(field.key(), &key)) {
        if (auto e = field.unescaped_key().get(key))
          return e;
      }
      od::value v = field.value();
      od::json_type t;
      if (auto e = v.type().get(t))
        return e;
      size_t mark = prefix_.size();
      switch (t) {
        case od::json_type::object: {
          AppendPart(key);
          if (hints_.ShouldExtractPrefix(prefix_)) {
            od::object inner;
            if (auto e = v.get_object().get(inner))
              return e;
            if (auto e = Walk(inner))
              return e;
          }
          prefix_.resize(mark);
          continue;
        }
        case od::json_type::string:
        case od::json_type::number:
        case od::json_type::boolean:
          break;
        default:
          continue;  // arrays and null are skipped
      }
      AppendPart(key);
      std::string_view value;
      simdjson::error_code e = simdjson::SUCCESS;
      if (t == od::json_type::string) {
        value = TrimRight(v.raw_json_token());
        if (value.size() < 2 || value.back() != '"' ||
            value.substr(1, value.size() - 2).find('\\') != std::string_view::npos) {
          e = v.get_string().get(value);  // escapes: unescape into simdjson's buffer
        } else {
          value = value.substr(1, value.size() - 2);
        }
      } else if (t == od::json_type::number) {
        value = TrimRight(v.raw_json_token());
      } else {
        bool b = false;
        e = v.get_bool().get(b);
        value = b ? "true" : "false";
      }
      if (e)
        return e;
      if (prefix_.size() > mark || mark == 0)
        SetLabel(value);
      prefix_.resize(mark);
      if (hints_.AllRequiredExtracted(*lb_))
        return kStop;
    }
    return simdjson::SUCCESS;
  }

  // The key as it stands in the line when it has no escapes (no unescaping copy). Stage 1
  // validated the document's strings, so the first '"' after the key's start closes it.
  bool PlainKey(od::raw_json_string raw, std::string_view* key) const {
    const char* p = raw.raw();
    if (p < line_begin_ || p >= line_end_)
      return false;
    for (const char* q = p; q < line_end_; ++q) {
      if (*q == '"') {
        *key = std::string_view(p, static_cast<size_t>(q - p));
        return true;
      }
      if (*q == '\\')
        return false;
    }
    return false;
  }

  // Appends one key part to prefix_ as Loki's buildSanitizedPrefixFromBuffer does.
  void AppendPart(std::string_view key) {
    size_t before = prefix_.size();
    if (before > 0)
      prefix_.push_back('_');
    size_t after_sep = prefix_.size();
    AppendSanitizedLabelName(key, before == 0, &prefix_);
    if (prefix_.size() == after_sep)
      prefix_.resize(before);  // empty part: skipped
  }

  void SetLabel(std::string_view value) {
    if (prefix_.empty())
      return;
    const int pos = lb_->ResolveParsed(prefix_, &name_);
    if (pos == LabelsBuilder::kAlreadyExtracted || !hints_.ShouldExtract(name_))
      return;
    lb_->SetParsed(pos, name_, value);
  }

  ParserHints hints_;
  od::parser parser_;
  PaddedLine pad_;
  LabelsBuilder* lb_ = nullptr;
  const char* line_begin_ = nullptr;  // the padded copy being parsed
  const char* line_end_ = nullptr;
  std::string prefix_;
  std::string name_;
};

class JsonExprParser final : public Stage {
 public:
  JsonExprParser(std::vector<std::string> ids, std::vector<std::vector<JsonPathPart>> paths,
                 NeededLabels needed)
      : ids_(std::move(ids)), paths_(std::move(paths)), hints_(std::move(needed)) {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    std::string_view l = *line;
    if (l.empty() || hints_.NoLabels(*lb))
      return true;
    if (l[0] != '"' && l[0] != '{' && l[0] != '[') {
      lb->SetError(kJsonParserErr);
      return true;
    }
    std::string_view padded = pad_.Load(l);
    for (size_t i = 0; i < ids_.size(); ++i) {
      lb->ExtractedName(ids_[i], &name_);
      std::string_view value;
      if (Lookup(padded, paths_[i], &value)) {
        lb->Set(LabelCategory::kParsed, name_, value);
      } else if (!lb->Has(ids_[i])) {
        lb->Set(LabelCategory::kParsed, ids_[i], "");
      }
    }
    return true;
  }

 private:
  // Finds `path`; sets *out (strings unescaped, numbers / objects / arrays raw, null "").
  bool Lookup(std::string_view padded, const std::vector<JsonPathPart>& path,
              std::string_view* out) {
    od::document doc;
    if (parser_.iterate(padded.data(), padded.size(), pad_.capacity()).get(doc))
      return false;
    od::value v;
    if (doc.get_value().get(v))
      return false;
    for (const JsonPathPart& part : path) {
      if (part.is_index) {
        od::array arr;
        if (v.get_array().get(arr))
          return false;
        size_t k = 0;
        bool found = false;
        for (auto elem : arr) {
          if (elem.error())
            return false;
          if (k++ == part.index) {
            v = elem.value_unsafe();
            found = true;
            break;
          }
        }
        if (!found)
          return false;
      } else {
        od::object obj;
        if (v.get_object().get(obj))
          return false;
        if (obj.find_field_unordered(part.key).get(v))
          return false;
      }
    }
    od::json_type t;
    if (v.type().get(t))
      return false;
    switch (t) {
      case od::json_type::string:
        return !v.get_string().get(*out);
      case od::json_type::null:
        *out = "";
        return true;
      case od::json_type::object: {
        od::object o;
        return !v.get_object().get(o) && !o.raw_json().get(*out);
      }
      case od::json_type::array: {
        od::array a;
        return !v.get_array().get(a) && !a.raw_json().get(*out);
      }
      default:
        *out = TrimRight(v.raw_json_token());
        return true;
    }
  }

  std::vector<std::string> ids_;
  std::vector<std::vector<JsonPathPart>> paths_;
  ParserHints hints_;
  od::parser parser_;
  PaddedLine pad_;
  std::string name_;
};

class UnpackParser final : public Stage {
 public:
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lb) override {
    std::string_view l = *line;
    if (l.empty())
      return true;
    if (l[0] != '{') {
      lb->SetError(kJsonParserErr, "expecting json object(6), but it is not");
      return true;
    }
    std::string_view padded = pad_.Load(l);
    num_pending_ = 0;
    bool packed = false;
    od::document doc;
    od::object obj;
    simdjson::error_code e =
        parser_.iterate(padded.data(), padded.size(), pad_.capacity()).get(doc);
    if (!e)
      e = doc.get_object().get(obj);
    if (!e) {
      for (auto field_result : obj) {
        od::field field;
        if ((e = std::move(field_result).get(field)))
          break;
        std::string_view key;
        if ((e = field.unescaped_key().get(key)))
          break;
        od::value v = field.value();
        od::json_type t;
        if ((e = v.type().get(t)))
          break;
        if (t != od::json_type::string)
          continue;
        std::string_view s;
        if ((e = v.get_string().get(s)))
          break;
        if (key == "_entry") {
          entry_.assign(s);
          packed = true;
          continue;
        }
        lb->ExtractedName(key, &name_);
        if (lb->Extracted(name_))
          continue;
        if (num_pending_ == pending_.size())
          pending_.emplace_back();
        auto& [n, val] = pending_[num_pending_++];
        n.clear();
        AppendSanitizedLabelName(name_, true, &n);
        val.assign(s);
      }
    }
    if (e) {
      lb->SetError(kJsonParserErr, ErrorText(e));
      return true;
    }
    if (packed) {
      for (size_t i = 0; i < num_pending_; ++i) {
        lb->Set(LabelCategory::kParsed, pending_[i].first, pending_[i].second);
      }
      *line = entry_;
    }
    return true;
  }

 private:
  od::parser parser_;
  PaddedLine pad_;
  std::string entry_;
  std::string name_;
  std::vector<std::pair<std::string, std::string>> pending_;
  size_t num_pending_ = 0;
};

}  // namespace

Result<std::unique_ptr<Stage>> NewJsonParser(std::vector<ExtractionParam> params,
                                             NeededLabels needed) {
  if (params.empty())
    return std::unique_ptr<Stage>(std::make_unique<JsonParser>(std::move(needed)));
  std::vector<std::string> ids;
  std::vector<std::vector<JsonPathPart>> paths;
  for (auto& p : params) {
    const std::string& expr = p.expression.empty() ? p.label : p.expression;
    SLUICE_ASSIGN_OR_RETURN(auto path, ParseJsonPath(expr));
    if (p.label.empty())
      return InvalidArgumentError("invalid extracted label name ''");
    ids.push_back(std::move(p.label));
    paths.push_back(std::move(path));
  }
  return std::unique_ptr<Stage>(
      std::make_unique<JsonExprParser>(std::move(ids), std::move(paths), std::move(needed)));
}

Result<std::unique_ptr<Stage>> NewUnpackParser() {
  return std::unique_ptr<Stage>(std::make_unique<UnpackParser>());
}

}  // namespace sluice::logql::log
