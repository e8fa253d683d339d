#include "index/postings.h"

#include <algorithm>
#include <iterator>

namespace sluice::index {

void Normalize(Postings* p) {
  std::sort(p->begin(), p->end());
  p->erase(std::unique(p->begin(), p->end()), p->end());
}

Postings Intersect(const Postings& a, const Postings& b) {
  Postings out;
  out.reserve(std::min(a.size(), b.size()));
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Postings IntersectAll(std::vector<Postings> lists) {
  if (lists.empty()) {
    return {};
  }
  std::sort(lists.begin(), lists.end(),
            [](const Postings& x, const Postings& y) { return x.size() < y.size(); });
  Postings acc = std::move(lists[0]);
  for (size_t i = 1; i < lists.size() && !acc.empty(); ++i) {
    acc = Intersect(acc, lists[i]);
  }
  return acc;
}

Postings Union(const Postings& a, const Postings& b) {
  Postings out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Postings Subtract(const Postings& a, const Postings& b) {
  if (b.empty()) {
    return a;
  }
  Postings out;
  out.reserve(a.size());
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

bool Contains(const Postings& p, uint64_t fp) {
  return std::binary_search(p.begin(), p.end(), fp);
}

}  // namespace sluice::index
