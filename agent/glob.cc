#include "agent/glob.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>

namespace sluice::agent {
namespace {

bool HasMeta(std::string_view s) {
  return s.find_first_of("*?[{") != std::string_view::npos;
}

// Matches one segment (no '/') against a segment pattern with * ? [..].
bool SegmentMatch(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0, star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_s = si;
      continue;
    }
    if (pi < p.size() && p[pi] == '[') {
      size_t close = p.find(']', pi + 1);
      if (close != std::string_view::npos) {
        bool negate = pi + 1 < close && (p[pi + 1] == '!' || p[pi + 1] == '^');
        bool hit = false;
        for (size_t k = pi + 1 + (negate ? 1 : 0); k < close; ++k) {
          if (k + 2 < close && p[k + 1] == '-') {
            hit = hit || (s[si] >= p[k] && s[si] <= p[k + 2]);
            k += 2;
          } else {
            hit = hit || s[si] == p[k];
          }
        }
        if (hit != negate) {
          pi = close + 1;
          ++si;
          continue;
        }
      }
    } else if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
      continue;
    }
    if (star_p == std::string_view::npos)
      return false;
    pi = star_p + 1;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t slash = s.find('/', start);
    if (slash == std::string_view::npos)
      slash = s.size();
    out.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool MatchSegments(const std::vector<std::string_view>& p, size_t pi,
                   const std::vector<std::string_view>& s, size_t si) {
  while (pi < p.size()) {
    if (p[pi] == "**") {
      for (size_t k = si; k <= s.size(); ++k) {
        if (MatchSegments(p, pi + 1, s, k))
          return true;
      }
      return false;
    }
    if (si >= s.size() || !SegmentMatch(p[pi], s[si]))
      return false;
    ++pi;
    ++si;
  }
  return si == s.size();
}

void Walk(const std::string& dir, const std::vector<std::string_view>& segs, size_t index,
          int depth, int max_depth, std::set<std::string>* files, std::set<std::string>* dirs,
          const std::string& pattern) {
  if (depth > max_depth)
    return;
  dirs->insert(dir);
  DIR* d = opendir(dir.empty() ? "." : dir.c_str());
  if (d == nullptr)
    return;
  std::vector<std::pair<std::string, bool>> entries;
  while (struct dirent* ent = readdir(d)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..")
      continue;
    std::string path = dir == "/" ? "/" + name : dir + "/" + name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
      continue;
    entries.emplace_back(path, S_ISDIR(st.st_mode));
    if (S_ISREG(st.st_mode) && GlobMatchNoBraces(pattern, path))
      files->insert(path);
  }
  closedir(d);
  // Descend only where the pattern can still match below.
  bool any_depth = false;
  for (size_t k = index; k < segs.size(); ++k)
    any_depth = any_depth || segs[k] == "**";
  for (const auto& [path, is_dir] : entries) {
    if (!is_dir)
      continue;
    std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
    if (index + 1 < segs.size() && (segs[index] == "**" || SegmentMatch(segs[index], name))) {
      size_t next = segs[index] == "**" ? index : index + 1;
      Walk(path, segs, next, depth + 1, max_depth, files, dirs, pattern);
    } else if (any_depth) {
      Walk(path, segs, index, depth + 1, max_depth, files, dirs, pattern);
    }
  }
}

}  // namespace

std::vector<std::string> ExpandBraces(std::string_view pattern) {
  size_t open = pattern.find('{');
  if (open == std::string_view::npos)
    return {std::string(pattern)};
  int depth = 0;
  size_t close = std::string_view::npos;
  std::vector<size_t> commas;
  for (size_t i = open; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      ++depth;
    } else if (pattern[i] == '}') {
      if (--depth == 0) {
        close = i;
        break;
      }
    } else if (pattern[i] == ',' && depth == 1) {
      commas.push_back(i);
    }
  }
  if (close == std::string_view::npos)
    return {std::string(pattern)};
  std::vector<std::string> out;
  std::string_view prefix = pattern.substr(0, open);
  std::string_view suffix = pattern.substr(close + 1);
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t c : commas) {
    std::string alt =
        std::string(prefix) + std::string(pattern.substr(start, c - start)) + std::string(suffix);
    for (std::string& e : ExpandBraces(alt))
      out.push_back(std::move(e));
    start = c + 1;
  }
  return out;
}

bool GlobMatchNoBraces(std::string_view pattern, std::string_view path) {
  return MatchSegments(Split(pattern), 0, Split(path), 0);
}

bool GlobMatch(std::string_view pattern, std::string_view path) {
  for (const std::string& p : ExpandBraces(pattern)) {
    if (GlobMatchNoBraces(p, path))
      return true;
  }
  return false;
}

GlobResult ExpandGlob(std::string_view pattern, int max_depth) {
  std::set<std::string> files, dirs;
  for (const std::string& p : ExpandBraces(pattern)) {
    if (!HasMeta(p)) {
      struct stat st;
      if (stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        files.insert(p);
      size_t slash = p.rfind('/');
      dirs.insert(slash == std::string::npos ? "." : (slash == 0 ? "/" : p.substr(0, slash)));
      continue;
    }
    std::vector<std::string_view> segs = Split(p);
    // The fixed prefix: leading segments without metacharacters (the last one is a file).
    size_t fixed = 0;
    while (fixed + 1 < segs.size() && !HasMeta(segs[fixed]))
      ++fixed;
    std::string base;
    for (size_t i = 0; i < fixed; ++i) {
      if (i > 0)
        base += '/';
      base += segs[i];
    }
    if (base.empty())
      base = p.front() == '/' ? "/" : ".";
    Walk(base, segs, fixed, 0, max_depth, &files, &dirs, p);
  }
  return GlobResult{std::vector<std::string>(files.begin(), files.end()),
                    std::vector<std::string>(dirs.begin(), dirs.end())};
}

}  // namespace sluice::agent
