# Grafana / Logs Drilldown benchmarks (owner: grafana): Drain pattern mining and detected_fields.
sluice_bench(grafana_drain_bench LIBS sluice_logql)
sluice_bench(grafana_detected_fields_bench LIBS sluice_logql)
# End-to-end programs driven by bench/grafana_bench.sh (plain programs, not Google Benchmarks):
# HTTP latency of the index-answered endpoints, and live-tail delivery latency over WebSocket.
add_executable(grafana_http_latency grafana_http_latency.cc
               ${CMAKE_SOURCE_DIR}/tests/integration/http_client.cc)
target_include_directories(grafana_http_latency PRIVATE ${CMAKE_SOURCE_DIR}/tests/integration)
target_link_libraries(grafana_http_latency PRIVATE sluice_proto Snappy::snappy Threads::Threads)
add_executable(tail_latency tail_latency.cc ${CMAKE_SOURCE_DIR}/tests/integration/http_client.cc)
target_include_directories(tail_latency PRIVATE ${CMAKE_SOURCE_DIR}/tests/integration)
target_link_libraries(tail_latency PRIVATE Boost::headers Boost::system Threads::Threads)
set_target_properties(grafana_http_latency tail_latency
                      PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
