#include "logql/syntax/unicode_util.h"

namespace sluice::logql::syntax {

int32_t DecodeRune(std::string_view s, size_t pos, size_t* len) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(pos);
  *len = 1;
  if (c < 0x80)
    return c;
  int n;
  int32_t r;
  int32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 2, r = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, r = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, r = c & 0x07, min = 0x10000;
  } else {
    return kInvalidRune;
  }
  if (pos + n > s.size())
    return kInvalidRune;
  for (int i = 1; i < n; ++i) {
    unsigned char cc = b(pos + i);
    if ((cc & 0xC0) != 0x80)
      return kInvalidRune;
    r = (r << 6) | (cc & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
    return kInvalidRune;
  *len = n;
  return r;
}

void AppendRune(int32_t r, std::string* out) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool IsLetterRune(int32_t r) {
  if (r < 0x80)
    return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r == 0xAA || r == 0xB5 || r == 0xBA)
    return true;
  if (r >= 0xC0 && r <= 0x24F)
    return r != 0xD7 && r != 0xF7;

  struct Range {
    int32_t lo, hi;
  };

  static constexpr Range kLetters[] = {
      {0x250, 0x2C1},   {0x370, 0x373},   {0x376, 0x377},   {0x37B, 0x37D},   {0x386, 0x386},
      {0x388, 0x3FF},   {0x400, 0x481},   {0x48A, 0x52F},   {0x531, 0x556},   {0x561, 0x587},
      {0x5D0, 0x5EA},   {0x620, 0x64A},   {0x671, 0x6D3},   {0x904, 0x939},   {0xE01, 0xE30},
      {0x10A0, 0x10FF}, {0x1100, 0x11FF}, {0x1E00, 0x1FBC}, {0x3041, 0x3096}, {0x30A1, 0x30FA},
      {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFF21, 0xFF3A},
      {0xFF41, 0xFF5A},
  };
  for (const Range& rg : kLetters) {
    if (r >= rg.lo && r <= rg.hi)
      return true;
  }
  return false;
}

bool IsSpaceRune(int32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool IsPrintRune(int32_t r) {
  if (r < 0x20 || r == 0x7F)
    return false;
  if (r < 0x7F)
    return true;
  if (r >= 0x80 && r < 0xA0)
    return false;  // C1 controls
  if (r == 0xAD)
    return false;  // soft hyphen (format)
  if (IsSpaceRune(r))
    return false;  // only U+0020 is printable space
  if (r >= 0x200B && r <= 0x200F)
    return false;
  if (r >= 0x202A && r <= 0x202E)
    return false;
  if (r >= 0x2060 && r <= 0x206F)
    return false;
  if (r >= 0xD800 && r <= 0xDFFF)
    return false;
  if (r >= 0xE000 && r <= 0xF8FF)
    return false;  // private use
  if (r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB) || r == 0xFFFE || r == 0xFFFF)
    return false;
  if (r >= 0xF0000)
    return false;  // supplementary private use
  return true;
}

}  // namespace sluice::logql::syntax
