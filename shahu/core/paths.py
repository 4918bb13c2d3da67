"""Where the app finds its files: always relative to this package, never the working directory."""

from __future__ import annotations

import functools
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_GEO_DIR = ROOT / "geo"


def data_dir() -> Path:
    """The CSV folder: `SHAHU_DATA_DIR` when set (tests, benchmarks), else the shipped `data/`."""
    return _resolved(os.environ.get("SHAHU_DATA_DIR") or str(DEFAULT_DATA_DIR))


def geo_dir() -> Path:
    """The GeoJSON folder: `SHAHU_GEO_DIR` when set, else the shipped `geo/`."""
    return _resolved(os.environ.get("SHAHU_GEO_DIR") or str(DEFAULT_GEO_DIR))


@functools.lru_cache(maxsize=64)
def _resolved(folder: str) -> Path:
    """`folder` made absolute, links followed: once per setting, not on every page load (each
    `resolve` walks the path through the file system)."""
    return Path(folder).resolve()
