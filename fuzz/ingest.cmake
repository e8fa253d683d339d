# Push decoders: JSON bodies and snappy protobuf bodies through DecodePushBody and PushHandler.
sluice_fuzzer(ingest_json_push_fuzzer LIBS sluice_ingest)
sluice_fuzzer(ingest_proto_push_fuzzer LIBS sluice_ingest Snappy::snappy)
