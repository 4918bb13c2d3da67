"""Driving the app from outside (a server on a free port, offline headless Chromium).

Shared by `tests/` and `benchmarks/`; the product never imports it.
"""
