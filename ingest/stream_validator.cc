#include "ingest/stream_validator.h"

#include <algorithm>
#include <array>

#include "ingest/go_format.h"
#include "ingest/level_detection.h"

namespace sluice::ingest {

namespace {

// Loki's default discover_service_name candidates, in priority order.
constexpr std::array<std::string_view, 13> kServiceNameCandidates = {"service",
                                                                     "app",
                                                                     "application",
                                                                     "app_name",
                                                                     "name",
                                                                     "app_kubernetes_io_name",
                                                                     "container",
                                                                     "container_name",
                                                                     "k8s_container_name",
                                                                     "component",
                                                                     "workload",
                                                                     "job",
                                                                     "k8s_job_name"};

// Length of the UTF-8 sequence at s[i] if valid (Go's rules), else 0.
size_t ValidRuneLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80)
    return 1;
  auto cont = [&](size_t k, unsigned char lo, unsigned char hi) {
    return k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF)
    return cont(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2, 0x80, 0xBF) && cont(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return false;
  }
  return true;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Prometheus otlptranslator NormalizeLabel: every rune outside [a-zA-Z0-9_] becomes '_', a
// leading digit gets "key_", a single leading '_' gets "key".
void NormalizeMetadataName(std::string* name) {
  if (name->empty())
    return;
  bool clean = true;
  for (char c : *name)
    clean = clean && IsLabelChar(c);
  if (!clean) {
    std::string out;
    for (size_t i = 0; i < name->size();) {
      char c = (*name)[i];
      if (IsLabelChar(c)) {
        out.push_back(c);
        ++i;
        continue;
      }
      out.push_back('_');
      size_t n = ValidRuneLength(*name, i);
      i += n == 0 ? 1 : n;
    }
    *name = std::move(out);
  }
  char first = (*name)[0];
  if (first >= '0' && first <= '9') {
    name->insert(0, "key_");
  } else if (first == '_' && (name->size() < 2 || (*name)[1] != '_')) {
    name->insert(0, "key");
  }
}

// Loki replaces utf8.RuneError (invalid bytes, one per byte, and U+FFFD itself) with a space.
void ReplaceInvalidUtf8(std::string* value) {
  if (IsAscii(*value))
    return;
  std::string out;
  out.reserve(value->size());
  for (size_t i = 0; i < value->size();) {
    size_t n = ValidRuneLength(*value, i);
    if (n == 0) {
      out.push_back(' ');
      ++i;
    } else if (n == 3 && value->compare(i, 3, "\xEF\xBF\xBD") == 0) {
      out.push_back(' ');
      i += 3;
    } else {
      out.append(*value, i, n);
      i += n;
    }
  }
  *value = std::move(out);
}

// Loki's label rendering of a normalised pair list (repeated names kept).
std::string RenderPairs(const std::vector<Label>& pairs) {
  std::string out = "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0)
      out += ", ";
    out += pairs[i].name;
    out += '=';
    AppendQuoted(pairs[i].value, &out);
  }
  out += '}';
  return out;
}

}  // namespace

void GroupedErrors::Add(std::string message) {
  for (auto& [m, n] : messages_) {
    if (m == message) {
      ++n;
      return;
    }
  }
  messages_.emplace_back(std::move(message), 1);
}

std::string GroupedErrors::Text() const {
  std::string out;
  for (const auto& [m, n] : messages_) {
    if (!out.empty())
      out += "; ";
    if (messages_.size() > 1 || n > 1)
      out += std::to_string(n) + " errors like: ";
    out += m;
  }
  return out;
}

bool NormalizeLabels(std::vector<Label>* pairs, bool discover_service_name) {
  std::stable_sort(pairs->begin(), pairs->end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  std::erase_if(*pairs, [](const Label& l) { return l.value.empty(); });
  if (!discover_service_name)
    return false;
  auto find = [&](std::string_view name) -> const Label* {
    auto it = std::lower_bound(pairs->begin(), pairs->end(), name,
                               [](const Label& l, std::string_view n) { return l.name < n; });
    return it != pairs->end() && it->name == name ? &*it : nullptr;
  };
  if (find(kServiceNameLabel) != nullptr)
    return false;
  std::string service(kUnknownService);
  for (std::string_view candidate : kServiceNameCandidates) {
    if (const Label* l = find(candidate)) {
      service = l->value;
      break;
    }
  }
  auto pos = std::lower_bound(pairs->begin(), pairs->end(), kServiceNameLabel,
                              [](const Label& l, std::string_view n) { return l.name < n; });
  pairs->insert(pos, Label{std::string(kServiceNameLabel), std::move(service)});
  return true;
}

std::string StreamValidator::CheckEntry(const OwnedEntry& e, const std::string& stream) const {
  int64_t ts = e.timestamp_ns;
  if (limits_.reject_old_samples) {
    int64_t oldest = now_ns_ - limits_.reject_old_samples_max_age_ns;
    if (ts < oldest) {
      return "entry for stream '" + stream + "' has timestamp too old: " + FormatGoRFC3339(ts) +
             ", oldest acceptable timestamp is: " + FormatGoRFC3339(oldest);
    }
  }
  if (ts > now_ns_ + limits_.creation_grace_period_ns) {
    return "entry for stream '" + stream + "' has timestamp too new: " + FormatGoRFC3339(ts);
  }
  if (limits_.max_line_size != 0 && e.line.size() > limits_.max_line_size) {
    return "Max entry size '" + std::to_string(limits_.max_line_size) +
           "' bytes exceeded for stream '" + stream + "' while adding an entry with length '" +
           std::to_string(e.line.size()) + "' bytes";
  }
  if (!e.metadata.empty()) {
    size_t size = 0;
    for (const Label& l : e.metadata)
      size += l.name.size() + l.value.size();
    if (limits_.max_structured_metadata_size != 0 && size > limits_.max_structured_metadata_size) {
      return "stream '" + stream + "' has structured metadata too large: '" + std::to_string(size) +
             "' bytes, limit: '" + std::to_string(limits_.max_structured_metadata_size) +
             "' bytes. Please see `limits_config.max_structured_metadata_size` or contact your "
             "Loki administrator to increase it";
    }
    int count = static_cast<int>(std::min<size_t>(e.metadata.size(), INT32_MAX));
    if (limits_.max_structured_metadata_entries != 0 &&
        count > limits_.max_structured_metadata_entries) {
      return "stream '" + stream + "' has too many structured metadata labels: '" +
             std::to_string(count) + "', limit: '" +
             std::to_string(limits_.max_structured_metadata_entries) +
             "'. Please see `limits_config.max_structured_metadata_entries_count` or contact "
             "your Loki administrator to increase it";
    }
  }
  return {};
}

void StreamValidator::CleanMetadata(std::vector<Label>* metadata) const {
  for (Label& l : *metadata) {
    NormalizeMetadataName(&l.name);
    ReplaceInvalidUtf8(&l.value);
  }
}

bool StreamValidator::Process(RawStream* raw, Labels* labels, std::vector<OwnedEntry>* entries,
                              int64_t* bytes, GroupedErrors* errors) const {
  if (limits_.max_line_size_truncate && limits_.max_line_size != 0) {
    for (OwnedEntry& e : raw->entries) {
      if (e.line.size() > limits_.max_line_size)
        e.line.resize(limits_.max_line_size);
    }
  }
  std::vector<Label>& pairs = raw->labels;
  bool added = NormalizeLabels(&pairs, limits_.discover_service_name);
  // Loki quotes the label string as sent, or its normalised form once service_name was added.
  const std::string label_text = added ? RenderPairs(pairs) : raw->label_text;
  if (pairs.empty()) {
    errors->Add("error at least one label pair is required per stream");
    return false;
  }
  int names = static_cast<int>(pairs.size());
  for (const Label& l : pairs) {
    if (l.name == kServiceNameLabel)
      --names;
  }
  if (names > limits_.max_label_names_per_series) {
    errors->Add("entry for stream '" + label_text + "' has " + std::to_string(names) +
                " label names; limit " + std::to_string(limits_.max_label_names_per_series));
    return false;
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const Label& l = pairs[i];
    if (l.name.size() > limits_.max_label_name_length) {
      errors->Add("stream '" + label_text + "' has label name too long: '" + l.name + "'");
      return false;
    }
    if (l.value.size() > limits_.max_label_value_length) {
      errors->Add("stream '" + label_text + "' has label value too long: '" + l.value + "'");
      return false;
    }
    if (i > 0 && pairs[i - 1].name == l.name) {
      errors->Add("stream '" + label_text + "' has duplicate label name: '" + l.name + "'");
      return false;
    }
  }
  *labels = Labels(std::move(pairs));
  const std::string stream = labels->ToString();
  entries->reserve(entries->size() + raw->entries.size());
  for (OwnedEntry& e : raw->entries) {
    std::string problem = CheckEntry(e, stream);
    if (!problem.empty()) {
      errors->Add(std::move(problem));
      continue;
    }
    *bytes += static_cast<int64_t>(e.line.size());
    for (const Label& l : e.metadata)
      *bytes += static_cast<int64_t>(l.name.size() + l.value.size());
    CleanMetadata(&e.metadata);
    if (limits_.discover_log_levels && !NormalizeExistingLevel(&e.metadata)) {
      std::string level = DetectLevel(*labels, e.metadata, e.line);
      if (!level.empty())
        e.metadata.push_back(Label{std::string(kDetectedLevel), std::move(level)});
    }
    if (e.metadata.size() > 1) {
      std::stable_sort(e.metadata.begin(), e.metadata.end(),
                       [](const Label& a, const Label& b) { return a.name < b.name; });
    }
    entries->push_back(std::move(e));
  }
  return true;
}

}  // namespace sluice::ingest
