#include "agent/relabel.h"

#include <cctype>

#include <re2/re2.h>

#include "common/labels.h"

namespace sluice::agent {
namespace {

// Runs `re` (anchored) on `input`; fills groups[0..n] on success.
bool FullMatch(const re2::RE2& re, std::string_view input, std::vector<re2::StringPiece>* groups) {
  const int n = re.NumberOfCapturingGroups() + 1;
  groups->assign(static_cast<size_t>(n), re2::StringPiece());
  return re.Match(input, 0, input.size(), re2::RE2::ANCHOR_BOTH, groups->data(), n);
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string JoinSources(const LabelMap& labels, const RelabelConfig& rc) {
  std::string out;
  for (size_t i = 0; i < rc.source_labels.size(); ++i) {
    if (i > 0)
      out += rc.separator;
    auto it = labels.find(rc.source_labels[i]);
    if (it != labels.end())
      out += it->second;
  }
  return out;
}

void SetOrErase(LabelMap* labels, const std::string& name, std::string value) {
  if (value.empty()) {
    labels->erase(name);
  } else {
    (*labels)[name] = std::move(value);
  }
}

}  // namespace

Result<RelabelAction> ParseRelabelAction(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "replace")
    return RelabelAction::kReplace;
  if (lower == "keep")
    return RelabelAction::kKeep;
  if (lower == "drop")
    return RelabelAction::kDrop;
  if (lower == "labelmap")
    return RelabelAction::kLabelMap;
  if (lower == "labeldrop")
    return RelabelAction::kLabelDrop;
  if (lower == "labelkeep")
    return RelabelAction::kLabelKeep;
  if (lower == "lowercase")
    return RelabelAction::kLowercase;
  if (lower == "uppercase")
    return RelabelAction::kUppercase;
  if (lower == "hashmod")
    return RelabelAction::kHashMod;
  return InvalidArgumentError("unknown relabel action `" + std::string(name) + "`");
}

Result<RelabelConfig> RelabelConfig::Make(RelabelAction action,
                                          std::vector<std::string> source_labels, std::string regex,
                                          std::string target_label, std::string replacement) {
  RelabelConfig rc;
  rc.action = action;
  rc.source_labels = std::move(source_labels);
  rc.target_label = std::move(target_label);
  rc.replacement = std::move(replacement);
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<re2::RE2>(regex, options);
  if (!re->ok()) {
    return InvalidArgumentError("invalid relabel regex `" + regex + "`: " + re->error());
  }
  rc.regex = std::move(re);
  SLUICE_RETURN_IF_ERROR(rc.Validate());
  return rc;
}

Status RelabelConfig::Validate() const {
  switch (action) {
    case RelabelAction::kReplace:
    case RelabelAction::kLowercase:
    case RelabelAction::kUppercase:
      if (target_label.empty()) {
        return InvalidArgumentError("relabel action needs `target_label`");
      }
      break;
    case RelabelAction::kHashMod:
      if (target_label.empty() || modulus == 0) {
        return InvalidArgumentError("relabel action hashmod needs `target_label` and `modulus`");
      }
      break;
    case RelabelAction::kKeep:
    case RelabelAction::kDrop:
      if (source_labels.empty()) {
        return InvalidArgumentError("relabel action keep/drop needs `source_labels`");
      }
      break;
    default:
      break;
  }
  return Status::Ok();
}

std::string ExpandTemplate(const re2::RE2& re, std::string_view input, std::string_view tmpl) {
  std::vector<re2::StringPiece> groups;
  if (!FullMatch(re, input, &groups))
    return std::string(tmpl);
  const auto& named = re.NamedCapturingGroups();
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    size_t start = i + 1;
    size_t end = start;
    bool braced = tmpl[start] == '{';
    if (braced) {
      end = tmpl.find('}', start);
      if (end == std::string_view::npos) {
        out += tmpl.substr(i);
        break;
      }
      ++start;
    } else {
      while (end < tmpl.size() &&
             (std::isalnum(static_cast<unsigned char>(tmpl[end])) || tmpl[end] == '_')) {
        ++end;
      }
    }
    std::string name(tmpl.substr(start, end - start));
    if (name.empty()) {
      out += '$';
      continue;
    }
    int index = -1;
    if (std::isdigit(static_cast<unsigned char>(name[0]))) {
      bool all_digits = true;
      for (char c : name)
        all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
      if (all_digits && name.size() < 4)
        index = std::stoi(name);
    } else if (auto it = named.find(name); it != named.end()) {
      index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size())
      out.append(groups[index].data(), groups[index].size());
    i = braced ? end : end - 1;
  }
  return out;
}

std::optional<LabelMap> Relabel(const LabelMap& input, const std::vector<RelabelConfig>& configs) {
  LabelMap labels = input;
  std::vector<re2::StringPiece> groups;
  for (const RelabelConfig& rc : configs) {
    const re2::RE2& re = *rc.regex;
    switch (rc.action) {
      case RelabelAction::kKeep:
        if (!FullMatch(re, JoinSources(labels, rc), &groups))
          return std::nullopt;
        break;
      case RelabelAction::kDrop:
        if (FullMatch(re, JoinSources(labels, rc), &groups))
          return std::nullopt;
        break;
      case RelabelAction::kReplace: {
        std::string value = JoinSources(labels, rc);
        if (!FullMatch(re, value, &groups))
          break;
        std::string target = ExpandTemplate(re, value, rc.target_label);
        if (!IsValidLabelName(target))
          break;
        SetOrErase(&labels, target, ExpandTemplate(re, value, rc.replacement));
        break;
      }
      case RelabelAction::kLowercase:
      case RelabelAction::kUppercase: {
        std::string value = JoinSources(labels, rc);
        for (char& c : value) {
          c = static_cast<char>(rc.action == RelabelAction::kLowercase
                                    ? std::tolower(static_cast<unsigned char>(c))
                                    : std::toupper(static_cast<unsigned char>(c)));
        }
        SetOrErase(&labels, rc.target_label, std::move(value));
        break;
      }
      case RelabelAction::kHashMod: {
        uint64_t mod = Fnv1a(JoinSources(labels, rc)) % rc.modulus;
        labels[rc.target_label] = std::to_string(mod);
        break;
      }
      case RelabelAction::kLabelMap: {
        LabelMap out = labels;
        for (const auto& [name, value] : labels) {
          if (!FullMatch(re, name, &groups))
            continue;
          std::string new_name = ExpandTemplate(re, name, rc.replacement);
          if (IsValidLabelName(new_name))
            out[new_name] = value;
        }
        labels = std::move(out);
        break;
      }
      case RelabelAction::kLabelDrop:
      case RelabelAction::kLabelKeep: {
        bool keep_matching = rc.action == RelabelAction::kLabelKeep;
        for (auto it = labels.begin(); it != labels.end();) {
          bool matched = FullMatch(re, it->first, &groups);
          if (matched != keep_matching) {
            it = labels.erase(it);
          } else {
            ++it;
          }
        }
        break;
      }
    }
  }
  return labels;
}

}  // namespace sluice::agent
