// logql::Engine::Format (declared in logql/engine.h): parse, then print as Loki's
// /loki/api/v1/format_query does (syntax.Prettify).
#include "logql/engine.h"
#include "logql/syntax/parser.h"
#include "logql/syntax/pretty.h"

namespace sluice::logql {

Result<std::string> Engine::Format(std::string_view query) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<syntax::Expr> e, syntax::ParseExpr(query));
  return syntax::Prettify(*e);
}

}  // namespace sluice::logql
