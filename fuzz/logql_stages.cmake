# Parser stages of logql/log: json, logfmt, pattern, and the line_format template compiler.
sluice_fuzzer(logql_json_stage_fuzzer LIBS sluice_logql)
sluice_fuzzer(logql_logfmt_stage_fuzzer LIBS sluice_logql)
sluice_fuzzer(logql_pattern_stage_fuzzer LIBS sluice_logql)
sluice_fuzzer(logql_template_stage_fuzzer LIBS sluice_logql)
