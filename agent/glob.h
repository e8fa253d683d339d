// Path globs for targets (`__path__`, `__path_exclude__`): `*` and `?` within one path
// segment, `[abc]` classes, `**` across segments (zero or more directories), and `{a,b}`
// alternatives (expanded first, may nest).
//   GlobMatch("/var/log/**/*.log", "/var/log/pods/a/b/0.log") == true
//   ExpandGlob("/var/log/{a,b}/*.log")  // existing files, sorted, plus the directories visited
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::agent {

// Expands {a,b} alternatives (nested allowed) into plain patterns.
std::vector<std::string> ExpandBraces(std::string_view pattern);

// Matches a whole path against a pattern without braces.
bool GlobMatchNoBraces(std::string_view pattern, std::string_view path);
// Matches a whole path against a pattern (braces expanded).
bool GlobMatch(std::string_view pattern, std::string_view path);

struct GlobResult {
  std::vector<std::string> files;        // regular files matching, sorted, unique
  std::vector<std::string> directories;  // directories walked (to watch for new entries)
};

// Walks the file system for regular files matching `pattern` (absolute or relative).
// Directories deeper than `max_depth` below the pattern's fixed prefix are not walked.
GlobResult ExpandGlob(std::string_view pattern, int max_depth = 16);

}  // namespace sluice::agent
