// Line tokenizers of Loki's Drain pattern miner (pkg/pattern/drain/line_tokenizer.go), one
// per log format, and the format guess the pattern ingester makes from a stream's first line.
//   punctuation (unknown format): splits on spaces (remembered, so Join restores them), '=' and
//     punctuation other than _ - . : / (each kept as its own token);
//   logfmt: one token per key and per value; values of ts/t/time/timestamp/traceID keys become
//     the placeholder; Join re-encodes logfmt;
//   json: punctuation-tokenizes the first string member among log, message, msg, msg_, _msg,
//     content (raw, escapes kept); Join wraps the result in placeholders ("<_>...<_>").
// A line longer than max_line_length (or without a message member, for json) is not tokenized.
//
//   std::unique_ptr<LineTokenizer> t = NewLineTokenizer(LineFormat::kUnknown, "<_>", 3000);
//   TokenizedLine tl;
//   if (t->Tokenize("GET /api 200", &tl)) t->Join(tl.tokens, tl.spaces_after);
//
// Tokens are views into the line (or a tokenizer buffer) valid until the next Tokenize.
// Thread-safety: a tokenizer keeps scratch state; one per Drain.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::logql::drilldown {

enum class LineFormat { kUnknown, kLogfmt, kJson };

// Loki's DetectLogFormat: '{'...'}' is json, key=value pairs throughout are logfmt.
LineFormat DetectLogFormat(std::string_view line);
std::string_view LineFormatName(LineFormat f);

struct TokenizedLine {
  std::vector<std::string_view> tokens;
  // Indices of tokens followed by a space, one entry per space (punctuation tokenizer).
  std::vector<int> spaces_after;
};

class LineTokenizer {
 public:
  virtual ~LineTokenizer() = default;
  // False when the line is skipped (too long, malformed for the format).
  virtual bool Tokenize(std::string_view line, TokenizedLine* out) = 0;
  virtual std::string Join(const std::vector<std::string>& tokens,
                           const std::vector<int>& spaces_after) const = 0;
};

std::unique_ptr<LineTokenizer> NewLineTokenizer(LineFormat format, std::string placeholder,
                                                size_t max_line_length);

// Collapses runs of the placeholder "<_><_>..." into one (Loki's deduplicatePlaceholders).
std::string DeduplicatePlaceholders(std::string_view s, std::string_view placeholder);

}  // namespace sluice::logql::drilldown
