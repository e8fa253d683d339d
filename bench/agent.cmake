# sluice-agent hot paths: container decoding, the schema stage, and tailing a file end to end.
sluice_bench(agent_pipeline_bench LIBS sluice_agent_lib)
