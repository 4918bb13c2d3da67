"""Benchmarks (`make bench`): page and map timings (`bench`), the QR-moment load run (`load`)."""
