// Result<T>: a value or a non-OK Status (GCC 12 has no std::expected in C++20).
//   Result<int> r = Parse(s);
//   if (!r.ok()) return r.status();
//   int v = *r;
// SLUICE_ASSIGN_OR_RETURN(auto v, Parse(s)); does both.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "common/status.h"

namespace sluice {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;` and `return status;` both work.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "Result built from an OK Status has no value");
    if (status_.ok()) status_ = InternalError("Result constructed from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  Status status_;  // OK iff value_ is set
  std::optional<T> value_;
};

}  // namespace sluice

#define SLUICE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)

// Evaluates `expr` (a Result<T>); on error returns its Status, else assigns the value to `lhs`.
#define SLUICE_ASSIGN_OR_RETURN(lhs, expr) \
  SLUICE_ASSIGN_OR_RETURN_IMPL(SLUICE_STATUS_CONCAT(_sluice_result_, __LINE__), lhs, expr)
