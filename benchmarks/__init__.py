"""Benchmarks run by scripts/bench; each prints its figures beside its anchor."""
