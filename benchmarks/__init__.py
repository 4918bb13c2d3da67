"""Benchmarks (`make bench`): they measure the app from outside and are never imported by it.

`bench`: page and map timings; `load`: the QR moment over Streamlit's protocol (`profile_visit`:
where a first visit's CPU goes).
"""
