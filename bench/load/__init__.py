"""Pieces of the load benchmark (`bench/load_bench.py`) and the soak (`bench/load/soak.py`)."""
