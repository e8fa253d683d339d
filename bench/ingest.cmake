sluice_bench(ingest_decode_bench LIBS sluice_ingest sluice_proto Snappy::snappy)
