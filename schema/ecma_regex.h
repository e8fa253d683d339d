// ECMA-262 regular expressions (what JSON Schema's `pattern`, `patternProperties` and the
// `regex` format specify) translated to RE2 syntax and compiled. Where the two dialects differ:
// `\s`/`\S` get ECMA's Unicode whitespace set, `.` excludes ECMA's four line terminators,
// `\uXXXX` (and surrogate pairs), `\u{...}`, `\cX`, `\0` become RE2 escapes, `\p{...}` long
// property names (`Letter`, `Script=Greek`, `gc=Lu`) become RE2's short ones, `(?<name>` becomes
// `(?P<name>`; `\d`, `\w`, `\b` are ASCII in both. Constructs RE2 cannot run (lookaround,
// backreferences) fail to compile with RE2's message. Thread-safety: pure functions; a compiled
// RE2 is safe to share.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "common/result.h"

namespace sluice::schema {

// The RE2 form of an ECMA-262 pattern (no validation beyond the escapes it rewrites).
std::string TranslateEcmaRegex(std::string_view ecma);

// Translates and compiles; InvalidArgument "pattern <p> is not supported: <why>" on failure.
Result<std::unique_ptr<RE2>> CompileEcmaRegex(std::string_view ecma);

}  // namespace sluice::schema
