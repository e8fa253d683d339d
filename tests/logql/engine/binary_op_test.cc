// Tests for logql/engine/binary_op.h: arithmetic, comparisons with and without bool,
// vector matching with on / ignoring / group_left / group_right, set operators, and Loki's
// matching errors.
#include "logql/engine/binary_op.h"

#include <cmath>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace sluice::logql::engine {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

using syntax::BinaryOp;
using syntax::Cardinality;
using syntax::VectorMatching;

StepMatrix Vec(std::initializer_list<std::pair<Labels, double>> samples) {
  StepMatrix m(1);
  for (const auto& [l, v] : samples)
    m.steps[0].push_back({m.table.Intern(l), v});
  return m;
}

std::map<std::string, double> AsMap(const StepMatrix& m) {
  std::map<std::string, double> out;
  for (const auto& x : m.steps[0])
    out[m.table.at(x.series).ToString()] = x.value;
  return out;
}

Labels L(std::initializer_list<std::pair<std::string_view, std::string_view>> p) {
  return Labels::FromPairs(p);
}

TEST(BinaryOp, Scalars) {
  EXPECT_EQ(ApplyScalar(BinaryOp::kAdd, 1, 2), 3);
  EXPECT_EQ(ApplyScalar(BinaryOp::kPow, 2, 9), 512);
  EXPECT_EQ(ApplyScalar(BinaryOp::kGreater, 10, 3), 1);
  EXPECT_EQ(ApplyScalar(BinaryOp::kLess, 10, 3), 0);
  EXPECT_TRUE(std::isnan(ApplyScalar(BinaryOp::kDiv, 1, 0)));
  EXPECT_TRUE(std::isnan(ApplyScalar(BinaryOp::kMod, 1, 0)));
  EXPECT_EQ(ApplyScalar(BinaryOp::kMod, 7, 4), 3);
}

TEST(BinaryOp, ScalarVectorArithmeticKeepsLabels) {
  const StepMatrix v = Vec({{L({{"a", "1"}}), 4}, {L({{"a", "2"}}), 8}});
  auto m = AsMap(ApplyScalarVector(BinaryOp::kDiv, false, 2, false, v));
  EXPECT_EQ(m[R"({a="1"})"], 2);
  EXPECT_EQ(m[R"({a="2"})"], 4);
  m = AsMap(ApplyScalarVector(BinaryOp::kSub, false, 10, true, v));  // 10 - v
  EXPECT_EQ(m[R"({a="1"})"], 6);
}

TEST(BinaryOp, ComparisonFiltersOrReturnsBool) {
  const StepMatrix v = Vec({{L({{"a", "1"}}), 4}, {L({{"a", "2"}}), 2}});
  auto m = AsMap(ApplyScalarVector(BinaryOp::kGreater, false, 3, false, v));  // v > 3
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m[R"({a="1"})"], 4);                                     // keeps the vector's value
  m = AsMap(ApplyScalarVector(BinaryOp::kLess, false, 3, true, v));  // 3 < v
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m[R"({a="1"})"], 4);
  m = AsMap(ApplyScalarVector(BinaryOp::kGreater, true, 3, false, v));  // v > bool 3
  EXPECT_EQ(m[R"({a="1"})"], 1);
  EXPECT_EQ(m[R"({a="2"})"], 0);
}

TEST(BinaryOp, OneToOneOnAndIgnoring) {
  const StepMatrix errors =
      Vec({{L({{"svc", "a"}, {"level", "error"}}), 2}, {L({{"svc", "b"}, {"level", "error"}}), 1}});
  const StepMatrix totals =
      Vec({{L({{"svc", "a"}}), 4}, {L({{"svc", "b"}}), 2}, {L({{"svc", "c"}}), 9}});
  VectorMatching on{true, {"svc"}, Cardinality::kOneToOne, {}};
  auto r = ApplyVectorVector(BinaryOp::kDiv, false, on, errors, totals);
  ASSERT_THAT(r.status(), IsOk());
  auto m = AsMap(*r);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m[R"({svc="a"})"], 0.5);
  EXPECT_EQ(m[R"({svc="b"})"], 0.5);
  VectorMatching ignoring{false, {"level"}, Cardinality::kOneToOne, {}};
  r = ApplyVectorVector(BinaryOp::kDiv, false, ignoring, errors, totals);
  ASSERT_THAT(r.status(), IsOk());
  m = AsMap(*r);
  EXPECT_EQ(m[R"({svc="a"})"], 0.5);
  // Without matching options the full label sets must be equal: nothing matches here.
  r = ApplyVectorVector(BinaryOp::kDiv, false, VectorMatching{}, errors, totals);
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_TRUE(AsMap(*r).empty());
}

TEST(BinaryOp, VectorComparisonKeepsLeftValue) {
  const StepMatrix l = Vec({{L({{"a", "1"}}), 5}, {L({{"a", "2"}}), 1}});
  const StepMatrix r = Vec({{L({{"a", "1"}}), 3}, {L({{"a", "2"}}), 3}});
  auto out = ApplyVectorVector(BinaryOp::kGreater, false, VectorMatching{}, l, r);
  ASSERT_THAT(out.status(), IsOk());
  auto m = AsMap(*out);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m[R"({a="1"})"], 5);
  out = ApplyVectorVector(BinaryOp::kGreater, true, VectorMatching{}, l, r);
  ASSERT_THAT(out.status(), IsOk());
  m = AsMap(*out);
  EXPECT_EQ(m[R"({a="1"})"], 1);
  EXPECT_EQ(m[R"({a="2"})"], 0);
}

TEST(BinaryOp, GroupLeftAndGroupRight) {
  const StepMatrix many =
      Vec({{L({{"svc", "a"}, {"pod", "1"}}), 10}, {L({{"svc", "a"}, {"pod", "2"}}), 20}});
  const StepMatrix one = Vec({{L({{"svc", "a"}, {"team", "x"}}), 2}});
  VectorMatching gl{true, {"svc"}, Cardinality::kManyToOne, {"team"}};
  auto r = ApplyVectorVector(BinaryOp::kDiv, false, gl, many, one);
  ASSERT_THAT(r.status(), IsOk());
  auto m = AsMap(*r);
  EXPECT_EQ(m[R"({pod="1", svc="a", team="x"})"], 5);
  EXPECT_EQ(m[R"({pod="2", svc="a", team="x"})"], 10);
  VectorMatching gr{true, {"svc"}, Cardinality::kOneToMany, {"team"}};
  r = ApplyVectorVector(BinaryOp::kDiv, false, gr, one, many);  // one / many
  ASSERT_THAT(r.status(), IsOk());
  m = AsMap(*r);
  EXPECT_EQ(m[R"({pod="1", svc="a", team="x"})"], 0.2);
  EXPECT_EQ(m[R"({pod="2", svc="a", team="x"})"], 0.1);
}

TEST(BinaryOp, MatchingErrors) {
  const StepMatrix many =
      Vec({{L({{"svc", "a"}, {"pod", "1"}}), 10}, {L({{"svc", "a"}, {"pod", "2"}}), 20}});
  const StepMatrix one = Vec({{L({{"svc", "a"}}), 2}});
  VectorMatching on{true, {"svc"}, Cardinality::kOneToOne, {}};
  EXPECT_THAT(ApplyVectorVector(BinaryOp::kAdd, false, on, many, one).status(),
              StatusIs(StatusCode::kInvalidArgument, "many-to-one matching must be explicit"));
  EXPECT_THAT(
      ApplyVectorVector(BinaryOp::kAdd, false, on, one, many).status(),
      StatusIs(StatusCode::kInvalidArgument, "found duplicate series on the right hand-side"));
  VectorMatching gl{true, {"svc"}, Cardinality::kManyToOne, {}};
  EXPECT_THAT(ApplyVectorVector(BinaryOp::kAdd, false, gl, one, many).status(),
              StatusIs(StatusCode::kInvalidArgument, "found duplicate series"));
}

TEST(BinaryOp, SetOperators) {
  const StepMatrix l = Vec({{L({{"a", "1"}}), 1}, {L({{"a", "2"}}), 2}});
  const StepMatrix r = Vec({{L({{"a", "2"}}), 20}, {L({{"a", "3"}}), 30}});
  auto a = ApplyVectorVector(BinaryOp::kAnd, false, VectorMatching{}, l, r);
  ASSERT_THAT(a.status(), IsOk());
  EXPECT_EQ(AsMap(*a), (std::map<std::string, double>{{R"({a="2"})", 2}}));
  auto o = ApplyVectorVector(BinaryOp::kOr, false, VectorMatching{}, l, r);
  ASSERT_THAT(o.status(), IsOk());
  EXPECT_EQ(AsMap(*o), (std::map<std::string, double>{
                           {R"({a="1"})", 1}, {R"({a="2"})", 2}, {R"({a="3"})", 30}}));
  auto u = ApplyVectorVector(BinaryOp::kUnless, false, VectorMatching{}, l, r);
  ASSERT_THAT(u.status(), IsOk());
  EXPECT_EQ(AsMap(*u), (std::map<std::string, double>{{R"({a="1"})", 1}}));
  auto empty = ApplyVectorVector(BinaryOp::kUnless, false, VectorMatching{}, l, StepMatrix(1));
  ASSERT_THAT(empty.status(), IsOk());
  EXPECT_EQ(AsMap(*empty).size(), 2u);
}

}  // namespace
}  // namespace sluice::logql::engine
