# Server benchmarks: the load generator driven by bench/run_server_bench.sh (end-to-end ingest
# over HTTP, storage ratio, scan throughput). It is a plain program, not a Google Benchmark.
add_executable(server_loadgen server_loadgen.cc)
target_link_libraries(server_loadgen PRIVATE sluice_proto Snappy::snappy Threads::Threads)
set_target_properties(server_loadgen PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
