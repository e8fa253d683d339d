// Status: the outcome of an operation that can fail, as a value (house style #1).
// Errors cross module boundaries as Status / Result<T>, never as exceptions.
// Thread-safety: immutable after construction; copy freely.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace sluice {

// Codes are few and coarse; the message carries the detail. server/ maps codes to HTTP
// status codes in one table.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // caller sent something malformed (HTTP 400)
  kNotFound,           // (404)
  kAlreadyExists,      // (409)
  kUnauthenticated,    // missing / bad tenant (401)
  kPermissionDenied,   // (403)
  kResourceExhausted,  // rate / stream limits (429)
  kTooLarge,           // body or entity over a size limit (413)
  kUnprocessable,      // well-formed but nothing usable, e.g. no valid stream (422)
  kFailedPrecondition,
  kOutOfRange,
  kCancelled,
  kDeadlineExceeded,  // query timeout (504)
  kUnimplemented,
  kCorruption,  // bytes on disk or on the wire fail a checksum or format check
  kIOError,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message" (or "OK").
  std::string ToString() const;

  // Returns a copy whose message is "prefix: message".
  Status WithPrefix(std::string_view prefix) const;

  // Explicitly discards a status whose failure is deliberately not handled.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string msg) {
  return Status(StatusCode::kInvalidArgument, std::move(msg));
}
inline Status NotFoundError(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
inline Status CorruptionError(std::string msg) {
  return Status(StatusCode::kCorruption, std::move(msg));
}
inline Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
inline Status InternalError(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
inline Status UnimplementedError(std::string msg) {
  return Status(StatusCode::kUnimplemented, std::move(msg));
}
inline Status ResourceExhaustedError(std::string msg) {
  return Status(StatusCode::kResourceExhausted, std::move(msg));
}
inline Status FailedPreconditionError(std::string msg) {
  return Status(StatusCode::kFailedPrecondition, std::move(msg));
}

// Builds an IOError from errno with the failing operation and path named.
Status ErrnoError(std::string_view op, std::string_view path, int err);

}  // namespace sluice

#define SLUICE_STATUS_CONCAT_INNER(a, b) a##b
#define SLUICE_STATUS_CONCAT(a, b) SLUICE_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define SLUICE_RETURN_IF_ERROR(expr)                       \
  do {                                                     \
    ::sluice::Status _sluice_status = (expr);              \
    if (!_sluice_status.ok()) return _sluice_status;       \
  } while (0)
