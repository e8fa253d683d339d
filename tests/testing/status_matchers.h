// gtest matchers for Status / Result<T>:
//   EXPECT_THAT(DoThing(), IsOk());
//   EXPECT_THAT(Parse("x"), StatusIs(StatusCode::kInvalidArgument, "expected"));
#pragma once

#include <gmock/gmock.h>

#include <string>

#include "common/result.h"

namespace sluice::testing {

inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
const Status& GetStatus(const Result<T>& r) {
  return r.status();
}

MATCHER(IsOk, "is OK") {
  const Status& st = GetStatus(arg);
  if (!st.ok()) *result_listener << "status is " << st.ToString();
  return st.ok();
}

MATCHER_P2(StatusIs, code, substr,
           std::string("has code ") + std::string(StatusCodeName(code)) + " and message containing \"" +
               std::string(substr) + "\"") {
  const Status& st = GetStatus(arg);
  *result_listener << "status is " << st.ToString();
  return st.code() == code && st.message().find(substr) != std::string::npos;
}

}  // namespace sluice::testing
