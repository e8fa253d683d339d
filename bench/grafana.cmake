# Grafana / Logs Drilldown benchmarks (owner: grafana): Drain pattern mining and detected_fields.
sluice_bench(grafana_drain_bench LIBS sluice_logql)
sluice_bench(grafana_detected_fields_bench LIBS sluice_logql)
