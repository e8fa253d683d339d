# JSON Schema validation per line (schema/ hot path).
sluice_bench(schema_validate_bench LIBS sluice_schema)
