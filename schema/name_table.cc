#include "schema/name_table.h"

namespace sluice::schema {

NameTable::NameTable(const std::vector<std::string_view>& names) {
  if (names.empty())
    return;
  size_t capacity = 4;
  while (capacity < 2 * names.size())
    capacity *= 2;
  slots_.resize(capacity);
  mask_ = capacity - 1;
  keys_.reserve(names.size());
  for (std::string_view name : names) {
    int index = int(keys_.size());
    keys_.emplace_back(name);
    if (Find(name) >= 0)
      continue;  // a duplicate: the first index stays
    Words w = WordsOf(name);
    size_t i = Hash(w) & mask_;
    while (slots_[i].index >= 0)
      i = (i + 1) & mask_;
    slots_[i] = {w.head, w.tail, uint32_t(name.size()), index};
  }
}

}  // namespace sluice::schema
