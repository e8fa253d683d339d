#include "logql/drilldown/json_paths.h"

#include <simdjson.h>

#include "logql/log/labels_builder.h"

namespace sluice::logql::drilldown {
namespace {

namespace dom = simdjson::dom;

// Depth-first walk keeping the raw keys (for the path) and the flattened name side by side.
class PathWalker {
 public:
  explicit PathWalker(std::vector<JsonPath>* out) : out_(out) {}

  void Walk(dom::object obj) {
    for (dom::key_value_pair kv : obj) {
      size_t mark = name_.size();
      AppendPart(kv.key);
      keys_.emplace_back(kv.key);
      switch (kv.value.type()) {
        case dom::element_type::OBJECT:
          Walk(dom::object(kv.value));
          break;
        case dom::element_type::ARRAY:
        case dom::element_type::NULL_VALUE:
          break;
        default:
          if (!name_.empty())
            out_->push_back(JsonPath{name_, keys_});
          break;
      }
      keys_.pop_back();
      name_.resize(mark);
    }
  }

 private:
  void AppendPart(std::string_view key) {
    size_t before = name_.size();
    if (before > 0)
      name_.push_back('_');
    size_t after_sep = name_.size();
    log::AppendSanitizedLabelName(key, before == 0, &name_);
    if (name_.size() == after_sep)
      name_.resize(before);
  }

  std::vector<JsonPath>* out_;
  std::string name_;
  std::vector<std::string> keys_;
};

}  // namespace

bool CollectJsonPaths(std::string_view line, std::vector<JsonPath>* out) {
  thread_local dom::parser parser;
  dom::element doc;
  if (parser.parse(line.data(), line.size(), /*realloc_if_needed=*/true).get(doc))
    return false;
  dom::object obj;
  if (doc.get_object().get(obj))
    return false;
  PathWalker(out).Walk(obj);
  return true;
}

}  // namespace sluice::logql::drilldown
