# Decoders of chunks/: chunk objects and WAL segments.
sluice_fuzzer(chunks_chunk_reader_fuzzer LIBS sluice_chunks)
sluice_fuzzer(chunks_wal_reader_fuzzer LIBS sluice_chunks)
