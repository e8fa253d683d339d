# JSON Schema compiler (schema text in) and validator (instance text in, fixed schemas).
sluice_fuzzer(schema_compile_fuzzer LIBS sluice_schema)
sluice_fuzzer(schema_validate_fuzzer LIBS sluice_schema)
