"""Demo data: synthetic people with realistic ledgers, for `seed_demo` and the benchmarks."""
