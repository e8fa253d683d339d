#include "index/postings.h"

#include <gtest/gtest.h>

namespace sluice::index {
namespace {

TEST(PostingsTest, NormalizeSortsAndDeduplicates) {
  Postings p = {5, 1, 3, 1, 5};
  Normalize(&p);
  EXPECT_EQ(p, (Postings{1, 3, 5}));
}

TEST(PostingsTest, SetOperations) {
  Postings a = {1, 2, 3, 7, 9};
  Postings b = {2, 3, 4, 9, 10};
  EXPECT_EQ(Intersect(a, b), (Postings{2, 3, 9}));
  EXPECT_EQ(Union(a, b), (Postings{1, 2, 3, 4, 7, 9, 10}));
  EXPECT_EQ(Subtract(a, b), (Postings{1, 7}));
  EXPECT_EQ(Subtract(a, {}), a);
  EXPECT_EQ(Intersect(a, {}), Postings{});
  EXPECT_TRUE(Contains(a, 7));
  EXPECT_FALSE(Contains(a, 8));
}

TEST(PostingsTest, IntersectAll) {
  EXPECT_EQ(IntersectAll({}), Postings{});
  EXPECT_EQ(IntersectAll({{1, 2, 3}}), (Postings{1, 2, 3}));
  EXPECT_EQ(IntersectAll({{1, 2, 3, 4}, {2, 4}, {0, 2, 3, 4}}), (Postings{2, 4}));
  EXPECT_EQ(IntersectAll({{1, 2}, {}, {1}}), Postings{});
}

}  // namespace
}  // namespace sluice::index
