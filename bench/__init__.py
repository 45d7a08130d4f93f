"""Performance benchmarks, run by hand (`python -m bench.load ...`); results as markdown tables."""
