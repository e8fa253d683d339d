#include "logql/log/pattern.h"

#include <unordered_set>

namespace sluice::logql::log {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsIdent(char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9');
}

}  // namespace

Result<Pattern> Pattern::Parse(std::string_view text) {
  Pattern p;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '<' && i + 1 < text.size() && IsIdentStart(text[i + 1])) {
      size_t j = i + 2;
      while (j < text.size() && IsIdent(text[j]))
        ++j;
      if (j < text.size() && text[j] == '>') {
        p.nodes_.push_back(Node{true, std::string(text.substr(i + 1, j - i - 1))});
        i = j + 1;
        continue;
      }
    }
    if (p.nodes_.empty() || p.nodes_.back().capture)
      p.nodes_.push_back(Node{false, ""});
    p.nodes_.back().text.push_back(text[i]);
    ++i;
  }
  for (size_t k = 0; k + 1 < p.nodes_.size(); ++k) {
    if (p.nodes_[k].capture && p.nodes_[k + 1].capture) {
      return InvalidArgumentError("found consecutive capture '<" + p.nodes_[k].text + "><" +
                                  p.nodes_[k + 1].text + ">': invalid expression");
    }
  }
  for (const Node& n : p.nodes_) {
    if (n.capture && n.text != "_")
      p.names_.push_back(n.text);
  }
  return p;
}

Result<Pattern> Pattern::ParseForParser(std::string_view text) {
  SLUICE_ASSIGN_OR_RETURN(Pattern p, Parse(text));
  if (p.names_.empty())
    return InvalidArgumentError("at least one capture is required");
  std::unordered_set<std::string> seen;
  for (const auto& n : p.names_) {
    if (!seen.insert(n).second) {
      return InvalidArgumentError("duplicate capture name (" + n + "): invalid expression");
    }
  }
  return p;
}

Result<Pattern> Pattern::ParseForLineFilter(std::string_view text) {
  SLUICE_ASSIGN_OR_RETURN(Pattern p, Parse(text));
  if (!p.names_.empty()) {
    return InvalidArgumentError("named captures are not allowed: found '<" + p.names_[0] + ">'");
  }
  return p;
}

void Pattern::Matches(std::string_view in, std::vector<std::string_view>* captures) const {
  captures->clear();
  if (in.empty() || nodes_.empty())
    return;
  size_t k = 0;
  if (!nodes_[0].capture) {
    if (in.substr(0, nodes_[0].text.size()) != nodes_[0].text)
      return;
    in.remove_prefix(nodes_[0].text.size());
    k = 1;
  }
  while (k < nodes_.size()) {
    const Node& capt = nodes_[k];
    bool named = capt.text != "_";
    if (k + 1 == nodes_.size()) {  // ends on a capture
      if (named)
        captures->push_back(in);
      return;
    }
    const std::string& lit = nodes_[k + 1].text;
    k += 2;
    size_t i = in.find(lit);
    if (i == std::string_view::npos) {
      if (named)
        captures->push_back(in);
      return;
    }
    if (named)
      captures->push_back(in.substr(0, i));
    in.remove_prefix(i + lit.size());
  }
}

bool Pattern::Test(std::string_view in) const {
  if (in.empty() || nodes_.empty())
    return in.empty() && nodes_.empty();
  size_t off = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].capture)
      continue;
    size_t j = in.substr(off).find(nodes_[i].text);
    if (j == std::string_view::npos)
      return false;
    if (i != 0 && j == 0)
      return false;
    off += j + nodes_[i].text.size();
  }
  bool req_rem = nodes_.back().capture;
  bool has_rem = off != in.size();
  return req_rem == has_rem;
}

}  // namespace sluice::logql::log
