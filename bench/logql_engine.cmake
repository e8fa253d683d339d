# LogQL evaluator benchmarks (logql-engine): range-aggregation loop and end-to-end metric
# queries over an in-memory querier.
sluice_bench(logql_engine_bench LIBS sluice_logql)
target_include_directories(logql_engine_bench PRIVATE ${CMAKE_SOURCE_DIR}/tests/logql)
