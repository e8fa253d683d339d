// Internal to logql/syntax: the recursive-descent parser behind ParseExpr. Split by role:
// parser.cc (entry, metric expressions, binary operators), parser_log.cc (selectors, pipeline
// stages, label filters), parser_range.cc (range aggregations, log ranges, unwrap),
// validate.cc (Loki's validation pass). Not thread-safe; one Parser per query.
//
// Error ordering follows Loki: lexer and syntax errors are reported as soon as they are met
// (with line/col); errors Loki's grammar actions raise by panicking (bad matcher regex, bad
// numeric label filter, invalid regexp/pattern parser) too, without position; errors Loki
// stores in nodes (topk parameter, unwrap rules, binary legs, ...) are deferred to the
// validation pass, which runs only when the whole query parsed.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "logql/syntax/ast.h"
#include "logql/syntax/lexer.h"

namespace sluice::logql::syntax {

// "parse error : msg" as an InvalidArgument status.
Status SemanticError(std::string msg);

// Go's strconv.ParseFloat over a NUMBER token; on failure *error is Go's message
// (`strconv.ParseFloat: parsing "0x10": invalid syntax`).
bool GoParseFloat(std::string_view text, double* out, std::string* error);

// Compiles `re` with RE2 as Go's regexp would; returns "" or Go's error text
// ("error parsing regexp: missing closing ): `(`"). *named_groups / *total_groups get counts.
std::string CheckRegex(const std::string& re, int* named_groups = nullptr,
                       int* total_groups = nullptr);

// Validates a `| pattern` expression as Loki's pattern.New does; returns "" or the error.
std::string CheckPattern(std::string_view pattern);

class Parser {
 public:
  explicit Parser(std::string_view input);

  // Parses the whole input and validates the result.
  Result<std::unique_ptr<Expr>> Run();

 private:
  using ExprPtr = std::unique_ptr<Expr>;

  // Tokens.
  const Token& Cur() const { return toks_[pos_]; }

  const Token& Ahead(size_t n) const;

  bool Is(TokenType t) const { return Cur().type == t; }
  // An IDENTIFIER that can name a label: the lexer also turns a stray character such as `!`
  // into IDENTIFIER (for Loki's error texts), which must not become a parser parameter name.
  bool IsName() const {
    if (!Is(TokenType::kIdentifier) || Cur().text.empty())
      return false;
    unsigned char c = static_cast<unsigned char>(Cur().text[0]);
    return c == '_' || c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  }

  bool Accept(TokenType t);
  // "syntax error: unexpected X[, expecting A or B]" at the current token (or its lexer error).
  Status Unexpected(std::initializer_list<std::string_view> expecting = {}) const;
  Status Expect(TokenType t, std::initializer_list<std::string_view> expecting = {});
  Result<std::string> ExpectString(std::initializer_list<std::string_view> expecting = {"STRING"});
  void Defer(const Expr* e, std::string msg);

  // parser.cc
  Result<ExprPtr> ParseBinary(int min_prec);
  Result<ExprPtr> ParseOperand();
  Result<ExprPtr> ParseVectorAggregation();
  Result<ExprPtr> ParseLabelReplace();
  Result<ExprPtr> ParseVector();
  Result<ExprPtr> ParseLiteral();
  Status ParseBinaryModifiers(BinaryExpr* b);
  Result<std::vector<std::string>> ParseLabelList();  // "(" [ID ("," ID)*] ")"
  Result<Grouping> ParseGrouping();
  ExprPtr MakeBinary(std::unique_ptr<BinaryExpr> b);

  // parser_log.cc
  Result<std::unique_ptr<LogExpr>> ParseSelector();
  Result<LabelMatcher> MakeMatcher(MatchType type, std::string name, std::string value);
  // Stages up to the first token that cannot continue a pipeline. With `unwrap` non-null a
  // trailing `| unwrap ...` (and its post filters) is parsed into it and ends the pipeline.
  Status ParseStages(std::vector<Stage>* stages, std::optional<Unwrap>* unwrap);
  Result<Stage> ParseLineFilter();
  Result<LineFilterArg> ParseLineFilterArg();
  Result<Stage> ParsePipeStage();
  Result<std::vector<LabelExtraction>> ParseExtractions();
  Result<std::vector<NamedMatcher>> ParseNamedMatchers();
  Result<LabelFormatStage> ParseLabelFormat();
  Result<LabelFilter> ParseLabelFilter(int min_prec);
  Result<LabelFilter> ParseLabelFilterAtom();

  // parser_range.cc
  Result<ExprPtr> ParseRangeAggregation();
  Status ParseLogRange(LogRange* out);
  Status ParseAfterRange(LogRange* out, bool pipeline_allowed);
  Result<Unwrap> ParseUnwrap();
  void CheckRangeAggregation(RangeAggregationExpr* r, const std::optional<std::string>& param);

  // validate.cc
  Status Validate(const Expr& e) const;
  Status ValidateMatchers(const LogExpr& log) const;

  std::vector<Token> toks_;
  size_t pos_ = 0;
  size_t input_size_ = 0;
  std::unordered_map<const Expr*, std::string> deferred_;
};

}  // namespace sluice::logql::syntax
