// drop and match stages, and the LogQL selector they use.
#include <cctype>

#include <re2/re2.h>

#include "agent/stages.h"
#include "common/clock.h"

namespace sluice::agent {
namespace {

class DropStage final : public Stage {
 public:
  DropStage(DropSpec spec, const Clock* clock) : spec_(std::move(spec)), clock_(clock) {}

  void Process(PipelineEntry* e) override {
    const std::string* text = &e->line;
    if (spec_.source) {
      auto it = e->extracted.find(*spec_.source);
      text = it == e->extracted.end() ? nullptr : &it->second;
    }
    // Promtail: every configured condition must hold for the entry to be dropped.
    bool any = false;
    bool all = true;
    if (spec_.expression || spec_.value) {
      any = true;
      if (text == nullptr) {
        all = false;
      } else if (spec_.value) {
        all = all && *text == *spec_.value;
      } else {
        all = all && re2::RE2::PartialMatch(*text, *spec_.expression);
      }
    } else if (spec_.source) {
      // Only a source: drop when the extracted value exists.
      any = true;
      all = all && text != nullptr;
    }
    if (spec_.older_than_ns > 0) {
      any = true;
      all = all && e->ts_ns < clock_->NowNanos() - spec_.older_than_ns;
    }
    if (spec_.longer_than > 0) {
      any = true;
      all = all && static_cast<int64_t>(e->line.size()) > spec_.longer_than;
    }
    if (any && all) {
      e->dropped = true;
      e->drop_reason = spec_.reason;
    }
  }

 private:
  DropSpec spec_;
  const Clock* clock_;
};

class MatchStage final : public Stage {
 public:
  MatchStage(Selector selector, std::unique_ptr<Pipeline> nested, bool drop, std::string reason)
      : selector_(std::move(selector)),
        nested_(std::move(nested)),
        drop_(drop),
        reason_(std::move(reason)) {}

  void Process(PipelineEntry* e) override {
    if (!selector_.Matches(*e))
      return;
    if (drop_) {
      e->dropped = true;
      e->drop_reason = reason_;
      return;
    }
    if (nested_)
      nested_->Process(e);
  }

 private:
  Selector selector_;
  std::unique_ptr<Pipeline> nested_;
  bool drop_;
  std::string reason_;
};

class SelectorParser {
 public:
  explicit SelectorParser(std::string_view text) : s_(text) {}

  Result<Selector> Parse() {
    Selector sel;
    SkipSpace();
    if (!Eat('{'))
      return Error("expected {");
    SkipSpace();
    while (!Eat('}')) {
      std::string name;
      while (i_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
        name += s_[i_++];
      }
      if (name.empty())
        return Error("expected a label name");
      SkipSpace();
      MatchType type;
      if (Eat('=')) {
        type = Eat('~') ? MatchType::kRegex : MatchType::kEqual;
      } else if (Eat('!')) {
        if (Eat('=')) {
          type = MatchType::kNotEqual;
        } else if (Eat('~')) {
          type = MatchType::kNotRegex;
        } else {
          return Error("expected != or !~");
        }
      } else {
        return Error("expected a match operator");
      }
      SkipSpace();
      SLUICE_ASSIGN_OR_RETURN(std::string value, String());
      Result<LabelMatcher> m = LabelMatcher::Make(type, std::move(name), std::move(value));
      if (!m.ok())
        return m.status();
      sel.matchers.push_back(std::move(*m));
      SkipSpace();
      if (Eat(','))
        SkipSpace();
    }
    SkipSpace();
    while (i_ < s_.size()) {
      LineFilter f;
      bool regex = false;
      if (Eat('|')) {
        if (Eat('~')) {
          regex = true;
        } else if (!Eat('=')) {
          return Error("expected |= or |~");
        }
      } else if (Eat('!')) {
        f.negate = true;
        if (Eat('~')) {
          regex = true;
        } else if (!Eat('=')) {
          return Error("expected != or !~");
        }
      } else {
        return Error("expected a line filter");
      }
      SkipSpace();
      SLUICE_ASSIGN_OR_RETURN(std::string value, String());
      if (regex) {
        re2::RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_shared<re2::RE2>(value, options);
        if (!re->ok())
          return Error("bad regex: " + re->error());
        f.regex = std::move(re);
      } else {
        f.literal = std::move(value);
      }
      sel.filters.push_back(std::move(f));
      SkipSpace();
    }
    return sel;
  }

 private:
  Status Error(const std::string& why) {
    return InvalidArgumentError("selector `" + std::string(s_) + "` at " + std::to_string(i_) +
                                ": " + why);
  }

  void SkipSpace() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
      ++i_;
  }

  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  Result<std::string> String() {
    if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '`'))
      return Error("expected a string");
    char quote = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != quote) {
      if (quote == '"' && s_[i_] == '\\' && i_ + 1 < s_.size()) {
        ++i_;
        char c = s_[i_];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += s_[i_];
      }
      ++i_;
    }
    if (i_ >= s_.size())
      return Error("unterminated string");
    ++i_;
    return out;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

bool Selector::Matches(const PipelineEntry& entry) const {
  for (const LabelMatcher& m : matchers) {
    auto it = entry.labels.find(m.name());
    if (!m.Matches(it == entry.labels.end() ? std::string_view() : std::string_view(it->second))) {
      return false;
    }
  }
  for (const LineFilter& f : filters) {
    bool hit = f.regex ? re2::RE2::PartialMatch(entry.line, *f.regex)
                       : entry.line.find(f.literal) != std::string::npos;
    if (hit == f.negate)
      return false;
  }
  return true;
}

Result<Selector> ParseSelector(std::string_view text) {
  return SelectorParser(text).Parse();
}

std::unique_ptr<Stage> NewDropStage(DropSpec spec, const Clock* clock) {
  return std::make_unique<DropStage>(std::move(spec), clock);
}

std::unique_ptr<Stage> NewMatchStage(Selector selector, std::unique_ptr<Pipeline> nested, bool drop,
                                     std::string reason) {
  return std::make_unique<MatchStage>(std::move(selector), std::move(nested), drop,
                                      std::move(reason));
}

}  // namespace sluice::agent
