# LogQL fuzz targets (owner: logql-syntax; others add theirs here via the owner).
sluice_fuzzer(logql_parser_fuzzer LIBS sluice_logql)
