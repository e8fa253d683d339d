// NewParserGuard: label filter pushdown in front of a parser (stage.h).
#include <string.h>

#include "logql/log/stage.h"
#include "logql/log/substring.h"

namespace sluice::logql::log {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

class ParserGuard final : public Stage {
 public:
  ParserGuard(std::unique_ptr<Stage> parser, std::vector<RequiredLabel> required)
      : parser_(std::move(parser)), required_(std::move(required)) {}

  bool Process(int64_t ts_ns, std::string_view* line, LabelsBuilder* lb) override {
    const std::string_view l = *line;
    for (const RequiredLabel& r : required_) {
      if (ContainsSubstring(l, r.value))
        continue;
      if (memchr(l.data(), '\\', l.size()) != nullptr)
        break;  // an escape may spell any value: parse
      if (!lb->Has(r.name))
        return false;
    }
    return parser_->Process(ts_ns, line, lb);
  }

 private:
  std::unique_ptr<Stage> parser_;
  std::vector<RequiredLabel> required_;
};

}  // namespace

std::unique_ptr<Stage> NewParserGuard(std::unique_ptr<Stage> parser,
                                      std::vector<RequiredLabel> required) {
  std::erase_if(required, [](const RequiredLabel& r) {
    return r.value.empty() || r.value.find(kReplacementChar) != std::string::npos;
  });
  if (required.empty())
    return parser;
  return std::make_unique<ParserGuard>(std::move(parser), std::move(required));
}

}  // namespace sluice::logql::log
