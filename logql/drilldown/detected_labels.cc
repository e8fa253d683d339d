#include "logql/drilldown/detected_labels.h"

#include "logql/log/label_filter.h"

namespace sluice::logql::drilldown {

namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsStaticLabel(std::string_view name) {
  return name == "cluster" || name == "namespace" || name == "instance" || name == "pod";
}

bool AllIdTypes(const std::set<std::string, std::less<>>& values) {
  for (const std::string& v : values) {
    if (!log::ParseLabelFloat(v).ok() && !IsUuid(v))
      return false;
  }
  return true;
}

}  // namespace

bool IsUuid(std::string_view s) {
  if (s.size() == 45) {  // urn:uuid:xxxxxxxx-...
    std::string_view prefix = s.substr(0, 9);
    for (size_t i = 0; i < 9; ++i) {
      char c = prefix[i];
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
      if (c != "urn:uuid:"[i])
        return false;
    }
    s.remove_prefix(9);
  } else if (s.size() == 38) {
    if (s.front() != '{' || s.back() != '}')
      return false;
    s = s.substr(1, 36);
  } else if (s.size() == 32) {
    for (char c : s) {
      if (!IsHex(c))
        return false;
    }
    return true;
  }
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i]))
      return false;
  }
  return true;
}

bool ShouldRejectLabel(const std::set<std::string, std::less<>>& values) {
  if (values.empty())
    return true;
  if (values.size() > 2)
    return AllIdTypes(values);
  for (const std::string& v : values) {
    if (v != "0" && v != "1")
      return AllIdTypes(values);
  }
  return false;
}

void DetectedLabelsCollector::Add(const sluice::Labels& stream) {
  for (const Label& l : stream) {
    auto it = labels_.find(l.name);
    if (it == labels_.end())
      it = labels_.emplace(l.name, State{}).first;
    State& s = it->second;
    s.estimate.Insert(l.value);
    if (s.values.size() < max_values_ && s.values.find(l.value) == s.values.end())
      s.values.emplace(l.value);
  }
}

std::vector<DetectedLabel> DetectedLabelsCollector::Labels() const {
  std::vector<DetectedLabel> out;
  for (const auto& [name, s] : labels_) {
    if (!IsStaticLabel(name) && ShouldRejectLabel(s.values))
      continue;
    out.push_back(DetectedLabel{name, s.estimate.Estimate()});
  }
  return out;
}

}  // namespace sluice::logql::drilldown
