# Benchmarks of chunks/: chunk encode/decode, WAL append, end-to-end Store ingest + storage ratio.
sluice_bench(chunks_encode_bench LIBS sluice_chunks zstd::libzstd_shared)
sluice_bench(chunks_wal_bench LIBS sluice_chunks)
sluice_bench(chunks_storage_bench LIBS sluice_chunks zstd::libzstd_shared)
