# LogQL benchmarks (owner: logql-syntax; others add theirs here via the owner).
sluice_bench(logql_parser_bench LIBS sluice_logql)
