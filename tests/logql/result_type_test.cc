#include <gtest/gtest.h>

#include "logql/engine.h"

namespace sluice::logql {
namespace {

TEST(ResultTypeTest, NamesMatchLoki) {
  EXPECT_EQ(ResultTypeName(ResultType::kStreams), "streams");
  EXPECT_EQ(ResultTypeName(ResultType::kMatrix), "matrix");
  EXPECT_EQ(ResultTypeName(ResultType::kVector), "vector");
  EXPECT_EQ(ResultTypeName(ResultType::kScalar), "scalar");
}

}  // namespace
}  // namespace sluice::logql
