"""Seed data: the demo (make run) and the national data set (benchmarks)."""
