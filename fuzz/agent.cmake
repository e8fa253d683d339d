# sluice-agent decoders and config loader.
sluice_fuzzer(agent_cri_decoder_fuzzer LIBS sluice_agent_lib)
sluice_fuzzer(agent_docker_decoder_fuzzer LIBS sluice_agent_lib)
sluice_fuzzer(agent_config_fuzzer LIBS sluice_agent_lib)
