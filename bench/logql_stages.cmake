# Log pipeline stages (logql/log): each parser stage and the line filters, MB/s.
sluice_bench(logql_stages_bench LIBS sluice_logql)
