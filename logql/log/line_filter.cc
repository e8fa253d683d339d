// Line filters (|= != |~ !~ |> !> and ip()), their `or` chains, and Pipeline.

#include <re2/re2.h>

#include "logql/log/ip_matcher.h"
#include "logql/log/pattern.h"
#include "logql/log/stage.h"
#include "logql/log/substring.h"

namespace sluice::logql::log {
namespace {

class ContainsFilter final : public LineFilter {
 public:
  explicit ContainsFilter(std::string s) : s_(std::move(s)) {}

  bool Matches(std::string_view line) const override { return ContainsSubstring(line, s_); }

 private:
  std::string s_;
};

class RegexFilter final : public LineFilter {
 public:
  explicit RegexFilter(std::unique_ptr<RE2> re) : re_(std::move(re)) {}

  bool Matches(std::string_view line) const override {
    return RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *re_);
  }

 private:
  std::unique_ptr<RE2> re_;
};

class PatternFilter final : public LineFilter {
 public:
  explicit PatternFilter(Pattern p) : p_(std::move(p)) {}

  bool Matches(std::string_view line) const override { return p_.Test(line); }

 private:
  Pattern p_;
};

class IpFilter final : public LineFilter {
 public:
  explicit IpFilter(IpMatcher m) : m_(std::move(m)) {}

  bool Matches(std::string_view line) const override { return m_.MatchesLine(line); }

 private:
  IpMatcher m_;
};

class NotFilter final : public LineFilter {
 public:
  explicit NotFilter(std::shared_ptr<const LineFilter> f) : f_(std::move(f)) {}

  bool Matches(std::string_view line) const override { return !f_->Matches(line); }

 private:
  std::shared_ptr<const LineFilter> f_;
};

class OrFilter final : public LineFilter {
 public:
  explicit OrFilter(std::vector<std::shared_ptr<const LineFilter>> fs) : fs_(std::move(fs)) {}

  bool Matches(std::string_view line) const override {
    for (const auto& f : fs_) {
      if (f->Matches(line))
        return true;
    }
    return false;
  }

 private:
  std::vector<std::shared_ptr<const LineFilter>> fs_;
};

class AndFilter final : public LineFilter {
 public:
  explicit AndFilter(std::vector<std::shared_ptr<const LineFilter>> fs) : fs_(std::move(fs)) {}

  bool Matches(std::string_view line) const override {
    for (const auto& f : fs_) {
      if (!f->Matches(line))
        return false;
    }
    return true;
  }

 private:
  std::vector<std::shared_ptr<const LineFilter>> fs_;
};

class LineFilterStage final : public Stage {
 public:
  explicit LineFilterStage(std::shared_ptr<const LineFilter> f) : f_(std::move(f)) {}

  bool Process(int64_t, std::string_view* line, LabelsBuilder*) override {
    return f_->Matches(*line);
  }

  std::shared_ptr<const LineFilter> AsLineFilter() const override { return f_; }

 private:
  std::shared_ptr<const LineFilter> f_;
};

// The positive filter for one operand.
Result<std::shared_ptr<const LineFilter>> NewPositive(LineFilterOp op, const LineFilterArg& arg) {
  if (arg.is_ip) {
    if (op != LineFilterOp::kContains && op != LineFilterOp::kNotContains) {
      return InvalidArgumentError("ip: invalid operation");
    }
    SLUICE_ASSIGN_OR_RETURN(IpMatcher m, IpMatcher::Make(arg.value));
    return std::shared_ptr<const LineFilter>(std::make_shared<IpFilter>(std::move(m)));
  }
  switch (op) {
    case LineFilterOp::kContains:
    case LineFilterOp::kNotContains:
      return std::shared_ptr<const LineFilter>(std::make_shared<ContainsFilter>(arg.value));
    case LineFilterOp::kRegex:
    case LineFilterOp::kNotRegex: {
      RE2::Options opts;
      opts.set_log_errors(false);
      auto re = std::make_unique<RE2>(arg.value, opts);
      if (!re->ok()) {
        return InvalidArgumentError("error parsing regexp: " + re->error() + ": `" + arg.value +
                                    "`");
      }
      return std::shared_ptr<const LineFilter>(std::make_shared<RegexFilter>(std::move(re)));
    }
    case LineFilterOp::kPattern:
    case LineFilterOp::kNotPattern: {
      SLUICE_ASSIGN_OR_RETURN(Pattern p, Pattern::ParseForLineFilter(arg.value));
      return std::shared_ptr<const LineFilter>(std::make_shared<PatternFilter>(std::move(p)));
    }
  }
  return InvalidArgumentError("unknown line filter operation");
}

bool IsNegative(LineFilterOp op) {
  return op == LineFilterOp::kNotContains || op == LineFilterOp::kNotRegex ||
         op == LineFilterOp::kNotPattern;
}

}  // namespace

std::string_view LineFilterOpSymbol(LineFilterOp op) {
  switch (op) {
    case LineFilterOp::kContains:
      return "|=";
    case LineFilterOp::kNotContains:
      return "!=";
    case LineFilterOp::kRegex:
      return "|~";
    case LineFilterOp::kNotRegex:
      return "!~";
    case LineFilterOp::kPattern:
      return "|>";
    case LineFilterOp::kNotPattern:
      return "!>";
  }
  return "?";
}

Result<std::shared_ptr<const LineFilter>> NewLineFilter(LineFilterOp op,
                                                        std::vector<LineFilterArg> or_args) {
  if (or_args.empty())
    return InvalidArgumentError("line filter without operand");
  std::vector<std::shared_ptr<const LineFilter>> fs;
  for (const auto& a : or_args) {
    SLUICE_ASSIGN_OR_RETURN(auto f, NewPositive(op, a));
    fs.push_back(std::move(f));
  }
  std::shared_ptr<const LineFilter> any =
      fs.size() == 1 ? fs[0] : std::make_shared<OrFilter>(std::move(fs));
  // Negative ops: !(a or b) == !a and !b, Loki's reading of `!= "a" or "b"`.
  if (IsNegative(op))
    return std::shared_ptr<const LineFilter>(std::make_shared<NotFilter>(any));
  return any;
}

std::shared_ptr<const LineFilter> NewAndLineFilter(
    std::vector<std::shared_ptr<const LineFilter>> filters) {
  if (filters.size() == 1)
    return filters[0];
  return std::make_shared<AndFilter>(std::move(filters));
}

std::unique_ptr<Stage> NewLineFilterStage(std::shared_ptr<const LineFilter> filter) {
  return std::make_unique<LineFilterStage>(std::move(filter));
}

Result<std::unique_ptr<Stage>> NewLineFilterStage(LineFilterOp op,
                                                  std::vector<LineFilterArg> or_args) {
  SLUICE_ASSIGN_OR_RETURN(auto f, NewLineFilter(op, std::move(or_args)));
  return NewLineFilterStage(std::move(f));
}

Pipeline::Pipeline(std::vector<std::unique_ptr<Stage>> stages) : stages_(std::move(stages)) {}

bool Pipeline::Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb) {
  for (auto& s : stages_) {
    if (!s->Process(ts_ns, line, lb))
      return false;
  }
  return true;
}

std::shared_ptr<const LineFilter> Pipeline::PushdownFilter() const {
  std::vector<std::shared_ptr<const LineFilter>> fs;
  for (const auto& s : stages_) {
    auto f = s->AsLineFilter();
    if (!f)
      break;
    fs.push_back(std::move(f));
  }
  if (fs.empty())
    return nullptr;
  return NewAndLineFilter(std::move(fs));
}

}  // namespace sluice::logql::log
