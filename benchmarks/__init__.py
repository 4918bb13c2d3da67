"""Benchmarks (`make bench`): they measure the app from outside and are never imported by it."""
