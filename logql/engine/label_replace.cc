#include "logql/engine/label_replace.h"

#include <cctype>
#include <vector>

#include <re2/re2.h>

namespace sluice::logql::engine {

namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Go's Regexp.Expand over the submatches of one match.
std::string Expand(const re2::RE2& re, std::string_view tmpl,
                   const std::vector<re2::StringPiece>& groups) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    const char c = tmpl[i];
    if (c != '$' || i + 1 >= tmpl.size()) {
      out.push_back(c);
      ++i;
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out.push_back('$');
      i += 2;
      continue;
    }
    std::string_view name;
    size_t next = 0;
    if (tmpl[i + 1] == '{') {
      const size_t close = tmpl.find('}', i + 2);
      if (close == std::string_view::npos) {
        out.push_back('$');
        ++i;
        continue;
      }
      name = tmpl.substr(i + 2, close - i - 2);
      next = close + 1;
    } else {
      size_t j = i + 1;
      while (j < tmpl.size() && IsNameChar(tmpl[j]))
        ++j;
      name = tmpl.substr(i + 1, j - i - 1);
      next = j;
    }
    bool valid = !name.empty();
    for (char ch : name)
      valid = valid && IsNameChar(ch);
    if (!valid) {  // Go writes the '$' literally and goes on
      out.push_back('$');
      ++i;
      continue;
    }
    int index = -1;
    bool numeric = true;
    for (char ch : name)
      numeric = numeric && std::isdigit(static_cast<unsigned char>(ch));
    if (numeric) {
      index = name.size() > 9 ? -1 : std::stoi(std::string(name));
    } else {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      if (it != re.NamedCapturingGroups().end())
        index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size() && groups[index].data()) {
      out.append(groups[index].data(), groups[index].size());
    }
    i = next;
  }
  return out;
}

}  // namespace

Result<StepMatrix> LabelReplace(const StepMatrix& in, std::string_view dst,
                                std::string_view replacement, std::string_view src,
                                std::string_view regex) {
  re2::RE2 re("^(?:" + std::string(regex) + ")$");
  if (!re.ok()) {
    return InvalidArgumentError("parse error : invalid regex in label_replace: " + re.error());
  }
  StepMatrix out(static_cast<int64_t>(in.steps.size()));
  std::vector<uint32_t> ids(in.table.size());
  std::vector<re2::StringPiece> groups(re.NumberOfCapturingGroups() + 1);
  for (uint32_t id = 0; id < in.table.size(); ++id) {
    const Labels& l = in.table.at(id);
    const std::string value(l.Get(src));
    if (!re.Match(value, 0, value.size(), re2::RE2::UNANCHORED, groups.data(),
                  static_cast<int>(groups.size()))) {
      ids[id] = out.table.Intern(l);
      continue;
    }
    const std::string res = Expand(re, replacement, groups);
    ids[id] = out.table.Intern(l.Without(dst).With(dst, res));
  }
  for (size_t s = 0; s < in.steps.size(); ++s) {
    for (const StepSample& x : in.steps[s])
      out.steps[s].push_back({ids[x.series], x.value});
  }
  return out;
}

}  // namespace sluice::logql::engine
