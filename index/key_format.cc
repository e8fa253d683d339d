#include "index/key_format.h"

#include "common/coding.h"

namespace sluice::index::keys {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

void AppendString(std::string* dst, std::string_view s) {
  for (char c : s) {
    dst->push_back(c);
    if (c == '\0') {
      dst->push_back('\xff');
    }
  }
  dst->push_back('\0');
  dst->push_back('\x01');
}

void AppendUint64(std::string* dst, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    dst->push_back(static_cast<char>(v >> shift));
  }
}

void AppendInt64(std::string* dst, int64_t v) {
  AppendUint64(dst, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

bool ConsumeString(std::string_view* in, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < in->size()) {
    char c = (*in)[i];
    if (c != '\0') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= in->size()) {
      return false;
    }
    char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != '\xff') {
      return false;
    }
    out->push_back('\0');
    i += 2;
  }
  return false;
}

bool ConsumeUint64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) {
    return false;
  }
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) {
    r = (r << 8) | static_cast<uint8_t>((*in)[i]);
  }
  in->remove_prefix(8);
  *v = r;
  return true;
}

bool ConsumeInt64(std::string_view* in, int64_t* v) {
  uint64_t u;
  if (!ConsumeUint64(in, &u)) {
    return false;
  }
  *v = static_cast<int64_t>(u ^ (uint64_t{1} << 63));
  return true;
}

std::string TenantPrefix(char type, std::string_view tenant) {
  std::string out(1, type);
  AppendString(&out, tenant);
  return out;
}

std::string EncodeLabels(const Labels& labels) {
  std::string out;
  PutVarint32(&out, static_cast<uint32_t>(labels.size()));
  for (const auto& l : labels) {
    PutLengthPrefixed(&out, l.name);
    PutLengthPrefixed(&out, l.value);
  }
  return out;
}

Result<Labels> DecodeLabels(std::string_view value) {
  uint32_t n;
  if (!GetVarint32(&value, &n) || n > value.size()) {
    return CorruptionError("index: bad label set count");
  }
  std::vector<Label> pairs;
  pairs.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    std::string_view name, v;
    if (!GetLengthPrefixed(&value, &name) || !GetLengthPrefixed(&value, &v)) {
      return CorruptionError("index: truncated label set");
    }
    pairs.push_back(Label{std::string(name), std::string(v)});
  }
  if (!value.empty()) {
    return CorruptionError("index: trailing bytes after label set");
  }
  return Labels(std::move(pairs));
}

std::string EncodeCounts(uint64_t entries, uint64_t bytes) {
  std::string out;
  PutVarint64(&out, entries);
  PutVarint64(&out, bytes);
  return out;
}

bool DecodeCounts(std::string_view value, uint64_t* entries, uint64_t* bytes) {
  return GetVarint64(&value, entries) && GetVarint64(&value, bytes);
}

std::string EncodeSlots(const std::vector<SlotCounts>& slots) {
  std::string out;
  PutVarint32(&out, static_cast<uint32_t>(slots.size()));
  for (const SlotCounts& s : slots) {
    PutVarint32(&out, s.slot);
    PutVarint64(&out, s.entries);
    PutVarint64(&out, s.bytes);
  }
  return out;
}

bool DecodeSlots(std::string_view value, std::vector<SlotCounts>* slots) {
  slots->clear();
  uint32_t n;
  if (!GetVarint32(&value, &n) || n > value.size()) {
    return false;
  }
  slots->resize(n);
  for (SlotCounts& s : *slots) {
    if (!GetVarint32(&value, &s.slot) || !GetVarint64(&value, &s.entries) ||
        !GetVarint64(&value, &s.bytes)) {
      return false;
    }
  }
  return value.empty();
}

std::string SkipPast(std::string_view prefix, size_t suffix_len) {
  std::string out(prefix);
  out.append(suffix_len + 1, '\xff');
  return out;
}

}  // namespace sluice::index::keys
