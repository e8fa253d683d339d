#include "ingest/json_push_decoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <simdjson.h>

#include "ingest/body_encoding.h"
#include "ingest/go_format.h"

namespace sluice::ingest {

namespace {

using simdjson::error_code;
using simdjson::ondemand::json_type;

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

Status JsonError(error_code ec, std::string_view where) {
  return InvalidArgumentError("invalid JSON push body: " + std::string(where) + ": " +
                              simdjson::error_message(ec));
}

Status TypeError(std::string_view what) {
  return InvalidArgumentError("invalid JSON push body: " + std::string(what));
}

// Loki's loghttp.LabelSet.String(): sorted by name, last value of a repeated name wins.
std::string LabelSetString(std::vector<Label> pairs) {
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  std::string out = "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i + 1 < pairs.size() && pairs[i + 1].name == pairs[i].name)
      continue;
    if (out.size() > 1)
      out += ", ";
    out += pairs[i].name;
    out += '=';
    AppendQuoted(pairs[i].value, &out);
  }
  out += '}';
  return out;
}

class Decoder {
 public:
  explicit Decoder(RawPush* out) : out_(out) {}

  Status Decode(simdjson::padded_string_view json) {
    static thread_local simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    if (auto ec = parser.iterate(json).get(doc))
      return JsonError(ec, "document");
    simdjson::ondemand::object root;
    if (auto ec = doc.get_object().get(root))
      return JsonError(ec, "top level must be an object");
    for (auto field : root) {
      std::string_view key;
      if (auto ec = field.unescaped_key().get(key))
        return JsonError(ec, "key");
      if (key != "streams")
        continue;
      simdjson::ondemand::value v = field.value();
      json_type t;
      if (auto ec = v.type().get(t))
        return JsonError(ec, "streams");
      if (t == json_type::null)
        continue;
      simdjson::ondemand::array streams;
      if (auto ec = v.get_array().get(streams))
        return JsonError(ec, "streams must be an array");
      for (auto s : streams) {
        simdjson::ondemand::value sv;
        if (auto ec = s.get(sv))
          return JsonError(ec, "stream");
        SLUICE_RETURN_IF_ERROR(DecodeStream(sv));
      }
    }
    return Status::Ok();
  }

 private:
  Status DecodeStream(simdjson::ondemand::value v) {
    ++out_->stream_objects;
    json_type t;
    if (auto ec = v.type().get(t))
      return JsonError(ec, "stream");
    if (t == json_type::null)
      return Status::Ok();
    simdjson::ondemand::object obj;
    if (auto ec = v.get_object().get(obj))
      return JsonError(ec, "stream must be an object");
    labels_.clear();
    entries_.clear();
    for (auto field : obj) {
      std::string_view key;
      if (auto ec = field.unescaped_key().get(key))
        return JsonError(ec, "key");
      simdjson::ondemand::value fv = field.value();
      if (key == "stream") {
        SLUICE_RETURN_IF_ERROR(DecodeLabels(fv));
      } else if (key == "values") {
        SLUICE_RETURN_IF_ERROR(DecodeValues(fv));
      }
    }
    if (entries_.empty())
      return Status::Ok();  // Loki skips streams without entries
    std::string text = LabelSetString(labels_);
    // Only a run of equal stream objects is merged here, so entries stay in request order when
    // the handler merges equal label sets.
    if (out_->streams.empty() || out_->streams.back().label_text != text) {
      RawStream& rs = out_->streams.emplace_back();
      rs.label_text = std::move(text);
      rs.labels = std::move(labels_);
      labels_ = {};
      rs.entries = std::move(entries_);
      entries_ = {};
      return Status::Ok();
    }
    auto& dst = out_->streams.back().entries;
    dst.insert(dst.end(), std::make_move_iterator(entries_.begin()),
               std::make_move_iterator(entries_.end()));
    return Status::Ok();
  }

  Status DecodeLabels(simdjson::ondemand::value v) {
    json_type t;
    if (auto ec = v.type().get(t))
      return JsonError(ec, "stream");
    if (t == json_type::null)
      return Status::Ok();
    simdjson::ondemand::object obj;
    if (auto ec = v.get_object().get(obj))
      return JsonError(ec, "\"stream\" must be an object");
    for (auto field : obj) {
      std::string_view key;
      if (auto ec = field.unescaped_key().get(key))
        return JsonError(ec, "label name");
      Label label{std::string(key), {}};
      simdjson::ondemand::value lv = field.value();
      if (auto ec = lv.type().get(t))
        return JsonError(ec, "label value");
      std::string_view val;
      switch (t) {
        case json_type::string:
          if (auto ec = lv.get_string().get(val))
            return JsonError(ec, "label value");
          break;
        case json_type::number:
        case json_type::boolean:
          val = lv.raw_json_token();
          while (!val.empty() && (val.back() == ' ' || val.back() == '\n' || val.back() == '\t' ||
                                  val.back() == '\r')) {
            val.remove_suffix(1);
          }
          break;
        case json_type::null:
          break;
        default:
          return TypeError("label value of \"" + label.name + "\" must be a string");
      }
      label.value = val;
      if (!IsValidLabelName(label.name)) {
        return InvalidArgumentError(
            "couldn't parse labels: 1:2: parse error: invalid label name \"" + label.name + "\"");
      }
      labels_.push_back(std::move(label));
    }
    return Status::Ok();
  }

  Status DecodeValues(simdjson::ondemand::value v) {
    json_type t;
    if (auto ec = v.type().get(t))
      return JsonError(ec, "values");
    if (t == json_type::null)
      return Status::Ok();
    simdjson::ondemand::array arr;
    if (auto ec = v.get_array().get(arr))
      return JsonError(ec, "\"values\" must be an array");
    for (auto e : arr) {
      simdjson::ondemand::value ev;
      if (auto ec = e.get(ev))
        return JsonError(ec, "value");
      if (auto ec = ev.type().get(t))
        return JsonError(ec, "value");
      if (t == json_type::null)
        continue;
      simdjson::ondemand::array entry;
      if (auto ec = ev.get_array().get(entry))
        return JsonError(ec, "each value must be an array");
      SLUICE_RETURN_IF_ERROR(DecodeEntry(entry));
    }
    return Status::Ok();
  }

  Status DecodeEntry(simdjson::ondemand::array entry) {
    OwnedEntry& out = entries_.emplace_back();
    int i = 0;
    for (auto item : entry) {
      simdjson::ondemand::value iv;
      if (auto ec = item.get(iv))
        return JsonError(ec, "value");
      std::string_view s;
      switch (i++) {
        case 0: {
          if (iv.get_string().get(s) != simdjson::SUCCESS) {
            return InvalidArgumentError(
                "error reading entry timestamp: the timestamp must be a string of Unix "
                "nanoseconds");
          }
          SLUICE_ASSIGN_OR_RETURN(out.timestamp_ns, GoParseInt64(s));
          break;
        }
        case 1:
          if (iv.get_string().get(s) != simdjson::SUCCESS) {
            return TypeError("the log line must be a string");
          }
          out.line.assign(s);
          break;
        case 2:
          SLUICE_RETURN_IF_ERROR(DecodeMetadata(iv, &out.metadata));
          break;
        default:
          return InvalidArgumentError(
              "error reading entry: array must have at least 2 and up to 3 values");
      }
    }
    if (i < 2) {
      return InvalidArgumentError(
          "error reading entry: array must have at least 2 and up to 3 values");
    }
    return Status::Ok();
  }

  static Status DecodeMetadata(simdjson::ondemand::value v, std::vector<Label>* out) {
    simdjson::ondemand::object obj;
    if (v.get_object().get(obj) != simdjson::SUCCESS) {
      return TypeError("structured metadata must be an object of strings");
    }
    for (auto field : obj) {
      std::string_view key, val;
      if (auto ec = field.unescaped_key().get(key))
        return JsonError(ec, "structured metadata");
      if (field.value().get_string().get(val) != simdjson::SUCCESS) {
        return TypeError("structured metadata value of \"" + std::string(key) +
                         "\" must be a string");
      }
      out->push_back(Label{std::string(key), std::string(val)});
    }
    return Status::Ok();
  }

  RawPush* out_;
  std::vector<Label> labels_;
  std::vector<OwnedEntry> entries_;
};

}  // namespace

Status DecodeJsonPush(std::string_view body, size_t capacity, RawPush* out) {
  if (capacity >= body.size() + simdjson::SIMDJSON_PADDING) {
    return Decoder(out).Decode(simdjson::padded_string_view(body.data(), body.size(), capacity));
  }
  static thread_local std::string buffer;
  // Do not let one huge body pin its buffer for the thread's lifetime.
  if (buffer.capacity() > (64u << 20) && body.size() < (1u << 20))
    std::string().swap(buffer);
  buffer.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(body);
  return Decoder(out).Decode(
      simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity()));
}

}  // namespace sluice::ingest
