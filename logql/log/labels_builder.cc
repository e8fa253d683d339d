#include "logql/log/labels_builder.h"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace sluice::logql::log {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Length of the UTF-8 sequence starting at s[i] (1 for an invalid byte: Go's RuneError).
size_t RuneLen(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + n > s.size())
    return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
      return 1;
  }
  return n;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int Rank(LabelCategory c) {
  return static_cast<int>(c);
}

}  // namespace

void AppendSanitizedLabelName(std::string_view key, bool prefix_digit, std::string* out) {
  while (!key.empty() && IsAsciiSpace(key.front()))
    key.remove_prefix(1);
  while (!key.empty() && IsAsciiSpace(key.back()))
    key.remove_suffix(1);
  if (key.empty())
    return;
  if (prefix_digit && key[0] >= '0' && key[0] <= '9')
    out->push_back('_');
  size_t valid = 0;  // the common case: the whole key is already a valid name
  while (valid < key.size() && IsNameChar(key[valid]))
    ++valid;
  out->append(key.substr(0, valid));
  for (size_t i = valid; i < key.size();) {
    char c = key[i];
    if (IsNameChar(c)) {
      out->push_back(c);
      ++i;
    } else {
      out->push_back('_');
      i += RuneLen(key, i);
    }
  }
}

std::string SanitizeLabelName(std::string_view key, bool prefix_digit) {
  std::string out;
  AppendSanitizedLabelName(key, prefix_digit, &out);
  return out;
}

LabelsBuilder::LabelsBuilder() {
  slots_.reserve(16);
  order_.reserve(32);
}

void LabelsBuilder::SetStream(const sluice::Labels& stream) {
  if (!(stream == base_)) {
    base_ = stream;
    base_deleted_.assign(base_.size(), 0);
    base_tags_.clear();
    for (const Label& l : base_.pairs())
      base_tags_.push_back(NameTag(l.name));
  }
  Reset();
}

void LabelsBuilder::Reset(std::span<const Label> metadata) {
  num_slots_ = 0;
  std::fill(base_deleted_.begin(), base_deleted_.end(), 0);
  err_.clear();
  err_details_.clear();
  if (metadata.empty())
    return;
  std::string name;
  for (const Label& l : metadata) {
    if (BaseHas(l.name)) {
      name.assign(l.name).append(kExtractedSuffix);
    } else {
      name.assign(l.name);
    }
    Set(LabelCategory::kStructuredMetadata, name, l.value);
  }
}

int LabelsBuilder::FindSlot(std::string_view name) const {
  const uint32_t tag = NameTag(name);
  for (int i = 0; i < num_slots_; ++i) {
    if (slots_[i].tag == tag && slots_[i].name == name)
      return i;
  }
  return -1;
}

int LabelsBuilder::FindBase(std::string_view name) const {
  const auto& p = base_.pairs();
  if (p.size() <= 16) {
    const uint32_t tag = NameTag(name);
    for (size_t i = 0; i < p.size(); ++i) {
      if (base_tags_[i] == tag && p[i].name == name)
        return static_cast<int>(i);
    }
    return -1;
  }
  auto it = std::lower_bound(p.begin(), p.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it == p.end() || it->name != name)
    return -1;
  return static_cast<int>(it - p.begin());
}

bool LabelsBuilder::BaseHas(std::string_view name) const {
  return FindBase(name) >= 0;
}

void LabelsBuilder::ExtractedName(std::string_view name, std::string* out) const {
  out->assign(name);
  bool clash = BaseHas(name);
  if (!clash) {
    int i = FindSlot(name);
    clash = i >= 0 && slots_[i].live && slots_[i].category == LabelCategory::kStructuredMetadata;
  }
  if (clash)
    out->append(kExtractedSuffix);
}

int LabelsBuilder::ResolveParsed(std::string_view key, std::string* name) const {
  name->assign(key);
  int i = FindSlot(key);
  const bool clash = BaseHas(key) || (i >= 0 && slots_[i].live &&
                                      slots_[i].category == LabelCategory::kStructuredMetadata);
  if (clash) {
    name->append(kExtractedSuffix);
    i = FindSlot(*name);
  }
  if (i >= 0 && slots_[i].extracted)
    return kAlreadyExtracted;
  return i;
}

void LabelsBuilder::SetParsed(int position, std::string_view name, std::string_view value) {
  if (name.starts_with("__")) {
    Set(LabelCategory::kParsed, name, value);  // maybe an error label
    return;
  }
  if (position < 0) {
    if (num_slots_ == static_cast<int>(slots_.size()))
      slots_.emplace_back();
    position = num_slots_++;
    slots_[position].tag = NameTag(name);
    slots_[position].name.assign(name);
  }
  Slot& s = slots_[position];  // kParsed outranks every category: always overwrites
  s.value.assign(value);
  s.category = LabelCategory::kParsed;
  s.live = true;
  s.extracted = true;
}

bool LabelsBuilder::Extracted(std::string_view name) const {
  int i = FindSlot(name);
  return i >= 0 && slots_[i].extracted;
}

std::optional<std::string_view> LabelsBuilder::Get(std::string_view name) const {
  if (name.size() >= 9 && name[0] == '_' && name[1] == '_') {
    if (name == kErrorLabel) {
      if (err_.empty())
        return std::nullopt;
      return std::string_view(err_);
    }
    if (name == kErrorDetailsLabel) {
      if (err_details_.empty())
        return std::nullopt;
      return std::string_view(err_details_);
    }
  }
  int i = FindSlot(name);
  if (i >= 0 && slots_[i].live)
    return std::string_view(slots_[i].value);
  int b = FindBase(name);
  if (b >= 0 && !base_deleted_[b])
    return std::string_view(base_.pairs()[b].value);
  return std::nullopt;
}

std::optional<LabelCategory> LabelsBuilder::CategoryOf(std::string_view name) const {
  if (name == kErrorLabel) {
    return err_.empty() ? std::nullopt : std::optional(LabelCategory::kParsed);
  }
  if (name == kErrorDetailsLabel) {
    return err_details_.empty() ? std::nullopt : std::optional(LabelCategory::kParsed);
  }
  int i = FindSlot(name);
  if (i >= 0 && slots_[i].live)
    return slots_[i].category;
  int b = FindBase(name);
  if (b >= 0 && !base_deleted_[b])
    return LabelCategory::kStream;
  return std::nullopt;
}

void LabelsBuilder::Set(LabelCategory category, std::string_view name, std::string_view value) {
  if (name == kErrorLabel) {
    SetError(value);
    return;
  }
  if (name == kErrorDetailsLabel) {
    SetErrorDetails(value);
    return;
  }
  int i = FindSlot(name);
  if (i >= 0) {
    Slot& s = slots_[i];
    if (s.live && Rank(s.category) > Rank(category))
      return;  // higher category wins
    s.value.assign(value);
    s.category = category;
    s.live = true;
    s.extracted |= category == LabelCategory::kParsed;
    return;
  }
  if (num_slots_ == static_cast<int>(slots_.size()))
    slots_.emplace_back();
  Slot& s = slots_[num_slots_++];
  s.tag = NameTag(name);
  s.name.assign(name);
  s.value.assign(value);
  s.category = category;
  s.live = true;
  s.extracted = category == LabelCategory::kParsed;
}

void LabelsBuilder::Del(std::string_view name) {
  if (name == kErrorLabel) {
    err_.clear();
    return;
  }
  if (name == kErrorDetailsLabel) {
    err_details_.clear();
    return;
  }
  int i = FindSlot(name);
  if (i >= 0)
    slots_[i].live = false;
  int b = FindBase(name);
  if (b >= 0)
    base_deleted_[b] = 1;
}

void LabelsBuilder::SetError(std::string_view err) {
  err_.assign(err);
}

void LabelsBuilder::SetErrorDetails(std::string_view details) {
  err_details_.assign(details);
}

std::string_view LabelsBuilder::NameAt(int idx) const {
  if (idx == kErrIdx)
    return kErrorLabel;
  if (idx == kErrDetailsIdx)
    return kErrorDetailsLabel;
  if (idx < 0)
    return base_.pairs()[~idx].name;
  return slots_[idx].name;
}

std::string_view LabelsBuilder::ValueAt(int idx) const {
  if (idx == kErrIdx)
    return err_;
  if (idx == kErrDetailsIdx)
    return err_details_;
  if (idx < 0)
    return base_.pairs()[~idx].value;
  return slots_[idx].value;
}

void LabelsBuilder::BuildOrder() const {
  order_.clear();
  const auto& base = base_.pairs();
  for (size_t b = 0; b < base.size(); ++b) {
    if (base_deleted_[b])
      continue;
    int i = FindSlot(base[b].name);
    if (i >= 0 && slots_[i].live)
      continue;  // shadowed by a re-assigned value
    order_.push_back(~static_cast<int>(b));
  }
  for (int i = 0; i < num_slots_; ++i) {
    if (slots_[i].live)
      order_.push_back(i);
  }
  if (!err_.empty())
    order_.push_back(kErrIdx);
  if (!err_details_.empty())
    order_.push_back(kErrDetailsIdx);
  // Few labels and mostly sorted already (base first): insertion sort, no allocation.
  for (size_t i = 1; i < order_.size(); ++i) {
    int v = order_[i];
    std::string_view vn = NameAt(v);
    size_t j = i;
    while (j > 0 && NameAt(order_[j - 1]) > vn) {
      order_[j] = order_[j - 1];
      --j;
    }
    order_[j] = v;
  }
}

void LabelsBuilder::AppendAll(std::vector<Label>* out) const {
  out->clear();
  ForEachSorted([&](std::string_view n, std::string_view v) {
    out->push_back(Label{std::string(n), std::string(v)});
  });
}

void LabelsBuilder::AppendCategory(LabelCategory category, std::vector<Label>* out) const {
  out->clear();
  BuildOrder();
  for (int idx : order_) {
    LabelCategory c = idx == kErrIdx || idx == kErrDetailsIdx ? LabelCategory::kParsed
                      : idx < 0                               ? LabelCategory::kStream
                                                              : slots_[idx].category;
    if (c == category)
      out->push_back(Label{std::string(NameAt(idx)), std::string(ValueAt(idx))});
  }
}

sluice::Labels LabelsBuilder::Labels() const {
  std::vector<Label> all;
  AppendAll(&all);
  return sluice::Labels(std::move(all));
}

uint64_t LabelsBuilder::Hash() const {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  static constexpr char kSep = '\xff';
  ForEachSorted([&](std::string_view n, std::string_view v) {
    if (v.empty())
      return;
    XXH3_64bits_update(&state, n.data(), n.size());
    XXH3_64bits_update(&state, &kSep, 1);
    XXH3_64bits_update(&state, v.data(), v.size());
    XXH3_64bits_update(&state, &kSep, 1);
  });
  return XXH3_64bits_digest(&state);
}

}  // namespace sluice::logql::log
