# Benchmarks of the label index (index/).
sluice_bench(index_select_bench LIBS sluice_index)
