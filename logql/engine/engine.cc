// Engine: the public entry point (logql/engine.h). Parses, validates the request against the
// limits, and dispatches to the log-query or metric-query evaluator. (Engine::Format lives
// with the printer, in logql/syntax/format.cc.)
#include "logql/engine.h"

#include <algorithm>
#include <chrono>

#include "logql/engine/eval_context.h"
#include "logql/engine/evaluator.h"
#include "logql/engine/log_query.h"
#include "logql/engine/result_builder.h"
#include "logql/syntax/parser.h"

namespace sluice::logql {

namespace {

constexpr int64_t kNanosPerSec = 1'000'000'000;

// The evaluation grid of a metric query, or Loki's error for a bad step / range.
Result<engine::StepGrid> MakeGrid(const QueryParams& p, const EngineOptions& o) {
  if (p.instant)
    return engine::StepGrid{p.start_ns, p.start_ns, 1};
  if (p.end_ns < p.start_ns) {
    return InvalidArgumentError("end timestamp must not be before or equal to start time");
  }
  const int64_t step = p.step_ns == 0 ? Engine::DefaultStepNs(p.start_ns, p.end_ns) : p.step_ns;
  if (step <= 0) {
    return InvalidArgumentError(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if (o.max_points_per_series > 0 && (p.end_ns - p.start_ns) / step > o.max_points_per_series) {
    return InvalidArgumentError(
        "exceeded maximum resolution of 11,000 points per time series. Try increasing the value "
        "of the step parameter");
  }
  return engine::StepGrid{p.start_ns, p.end_ns, step};
}

Result<QueryResult> ExecMetric(const syntax::Expr& expr, engine::EvalContext* ctx) {
  SLUICE_ASSIGN_OR_RETURN(engine::MetricValue v, engine::EvalMetric(expr, ctx));
  const int max_series = ctx->options.max_series;
  if (v.is_scalar) {
    QueryResult r;
    if (ctx->instant) {
      r.type = ResultType::kScalar;
      r.scalar = Point{engine::TruncateToMillis(ctx->grid.start_ns), v.scalar};
      return r;
    }
    // Loki: a literal over a range is a one-series matrix `{}`.
    engine::StepMatrix m(ctx->grid.size());
    const uint32_t id = m.table.Intern(Labels());
    for (auto& step : m.steps)
      step.push_back({id, v.scalar});
    return engine::ToMatrixResult(m, ctx->grid, max_series);
  }
  if (ctx->instant) {
    return engine::ToVectorResult(v.matrix, ctx->grid, max_series, engine::UsesSortByValue(expr));
  }
  return engine::ToMatrixResult(v.matrix, ctx->grid, max_series);
}

}  // namespace

Engine::Engine(Querier* querier, EngineOptions options) : querier_(querier), options_(options) {}

Engine::~Engine() = default;

int64_t Engine::DefaultStepNs(int64_t start_ns, int64_t end_ns) {
  const int64_t secs = (end_ns - start_ns) / (250 * kNanosPerSec);
  return std::max<int64_t>(1, secs) * kNanosPerSec;
}

Result<QueryResult> Engine::Exec(std::string_view tenant, const QueryParams& params) const {
  const auto started = std::chrono::steady_clock::now();
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<syntax::Expr> expr, syntax::ParseExpr(params.query));

  engine::EvalContext ctx;
  ctx.querier = querier_;
  ctx.tenant = std::string(tenant);
  ctx.instant = params.instant;
  ctx.options = options_;
  if (options_.query_timeout_ns > 0) {
    ctx.deadline = started + std::chrono::nanoseconds(options_.query_timeout_ns);
  }

  Result<QueryResult> result = [&]() -> Result<QueryResult> {
    if (!expr->IsMetric())
      return engine::ExecLogQuery(expr->As<syntax::LogExpr>(), params, &ctx);
    SLUICE_ASSIGN_OR_RETURN(ctx.grid, MakeGrid(params, options_));
    return ExecMetric(*expr, &ctx);
  }();
  if (!result.ok())
    return result;
  const int64_t returned = result->stats.entries_returned;
  result->stats = ctx.stats;
  result->stats.entries_returned = returned;
  result->stats.exec_time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count();
  return result;
}

}  // namespace sluice::logql
