// Checkers for the `format` values this validator knows: date-time, date, time, duration
// (RFC 3339 and its appendix A), uuid, ipv4, ipv6, hostname (RFC 1123), email (RFC 5321
// subset), uri, uri-reference (RFC 3986 characters and shape), regex (ECMA-262 via RE2),
// json-pointer (RFC 6901). Unknown formats have no checker and always pass, as the spec says.
// Pure functions: thread-safe.
#pragma once

#include <string_view>

namespace sluice::schema {

using FormatChecker = bool (*)(std::string_view value);

// nullptr for a format name without a checker.
FormatChecker FindFormatChecker(std::string_view name);

bool IsDateTime(std::string_view s);
bool IsDate(std::string_view s);
bool IsTime(std::string_view s);
bool IsDuration(std::string_view s);
bool IsUuid(std::string_view s);
bool IsIpv4(std::string_view s);
bool IsIpv6(std::string_view s);
bool IsHostname(std::string_view s);
bool IsEmail(std::string_view s);
bool IsUri(std::string_view s);
bool IsUriReference(std::string_view s);
bool IsRegex(std::string_view s);
bool IsJsonPointer(std::string_view s);

}  // namespace sluice::schema
