// Postings: sorted, duplicate-free vectors of stream fingerprints, and the set operations the
// selector evaluation combines them with (Prometheus' index.Intersect / Merge / Without).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace sluice::index {

using Postings = std::vector<uint64_t>;

// Sorts and removes duplicates in place.
void Normalize(Postings* p);

// REQUIRES for all below: inputs sorted and duplicate-free. Outputs are too.
Postings Intersect(const Postings& a, const Postings& b);
// Intersection of all lists; empty when `lists` is empty. Smallest lists first, stops early.
Postings IntersectAll(std::vector<Postings> lists);
Postings Union(const Postings& a, const Postings& b);
// a without the elements of b.
Postings Subtract(const Postings& a, const Postings& b);

bool Contains(const Postings& p, uint64_t fp);

}  // namespace sluice::index
