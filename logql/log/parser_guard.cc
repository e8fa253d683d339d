// NewParserGuard: label filter pushdown in front of a parser (stage.h).
#include "logql/log/parser_guard.h"

namespace sluice::logql::log {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

class ParserGuard final : public Stage {
 public:
  ParserGuard(std::unique_ptr<Stage> parser, std::vector<RequiredLabel> required)
      : parser_(std::move(parser)), required_(std::move(required)) {}

  bool Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb) override {
    if (!GuardAdmits(*line, required_, [lb](std::string_view name) { return lb->Has(name); }))
      return false;
    return parser_->Process(ts_ns, line, lb);
  }

 private:
  std::unique_ptr<Stage> parser_;
  std::vector<RequiredLabel> required_;
};

}  // namespace

std::vector<RequiredLabel> GuardableLabels(std::vector<RequiredLabel> required) {
  std::erase_if(required, [](const RequiredLabel& r) {
    return r.value.empty() || r.value.find(kReplacementChar) != std::string::npos;
  });
  return required;
}

std::unique_ptr<Stage> NewParserGuard(std::unique_ptr<Stage> parser,
                                      std::vector<RequiredLabel> required) {
  required = GuardableLabels(std::move(required));
  if (required.empty())
    return parser;
  return std::make_unique<ParserGuard>(std::move(parser), std::move(required));
}

}  // namespace sluice::logql::log
