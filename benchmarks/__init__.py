"""Reproducible measurements; each writes a table to benchmarks/results/."""
