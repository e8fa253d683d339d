#include "common/tenant.h"

#include <string>

namespace sluice {

namespace {

bool IsSupportedTenantChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
    return true;
  switch (c) {
    case '!':
    case '-':
    case '_':
    case '.':
    case '*':
    case '\'':
    case '(':
    case ')':
      return true;
    default:
      return false;
  }
}

// Go prints the offending byte with %c, i.e. as the code point of that byte's value.
void AppendByteAsRune(unsigned char c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

Status ValidateTenantId(std::string_view id) {
  if (id.empty())
    return Status(StatusCode::kUnauthenticated, "no org id");
  for (unsigned char c : id) {
    if (!IsSupportedTenantChar(c)) {
      std::string msg = "tenant ID '";
      msg.append(id);
      msg += "' contains unsupported character '";
      AppendByteAsRune(c, &msg);
      msg += "'";
      return InvalidArgumentError(std::move(msg));
    }
  }
  if (id.size() > kMaxTenantIdLength) {
    return InvalidArgumentError("tenant ID is too long: max " + std::to_string(kMaxTenantIdLength) +
                                " characters");
  }
  if (id == "." || id == "..")
    return InvalidArgumentError("tenant ID is '.' or '..'");
  return Status::Ok();
}

}  // namespace sluice
