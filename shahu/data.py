"""Loading the five tables and the geo layers from disk, validated, with the last good copy kept.

`load_dataset` is what the app, the CLI and the benchmark all call. A table whose file has
become invalid is served from the last valid copy this process saw (if any), and its problems
are reported alongside, so visitors keep a working app while staff see what to fix.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from shahu import geo
from shahu.schemas import TABLES, Building, Institution, Project
from shahu.validation import Problem, cross_table_problems, read_csv_bytes

_LAST_GOOD: dict[Path, pd.DataFrame] = {}
_LOCK = threading.Lock()


@dataclass
class Dataset:
    """Everything the pages show: typed tables, geo layers, and what is wrong on disk."""

    tables: dict[str, pd.DataFrame]
    layers: dict[str, gpd.GeoDataFrame]
    problems: list[Problem] = field(default_factory=list)
    geo_problems: list[geo.GeoProblem] = field(default_factory=list)
    stale: tuple[str, ...] = ()
    stamp: tuple = ()  # the files' `fingerprint` when loaded by the app: a key for derived caches
    folder: Path | None = None  # the data folder it was read from (where staff imports write)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def fingerprint(*folders: Path) -> tuple:
    """Size, mtime (ns) and a content hash of every data file: the cache key, so a refresh shows
    on next rerun, even one replaced within a single coarse mtime tick (the files are small:
    hashing them all costs about 0.1 ms)."""
    marks = []
    for folder in folders:
        for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.geojson")):
            stat = path.stat()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            marks.append((str(path), stat.st_size, stat.st_mtime_ns, digest))
    return tuple(marks)


def empty_table(name: str) -> pd.DataFrame:
    spec = TABLES[name]
    frame = pd.DataFrame(
        {c: pd.Series(dtype="float64" if c in spec.numeric else "str") for c in spec.columns}
    )
    frame.index.name = "line"
    return frame


def read_table(data_dir: Path, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One table from disk, validated on its own (no cross-table checks)."""
    spec = TABLES[name]
    path = data_dir / spec.filename
    if not path.exists():
        return None, [Problem(spec.filename, "file_missing")]
    return read_csv_bytes(spec, path.read_bytes())


def load_tables(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem], tuple[str, ...]]:
    """All tables; an invalid one falls back to the last good copy (or an empty table)."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    stale: list[str] = []
    for name in TABLES:
        frame, found = read_table(data_dir, name)
        problems += found
        key = (data_dir / TABLES[name].filename).resolve()
        with _LOCK:
            if frame is not None:
                _LAST_GOOD[key] = frame
            else:
                stale.append(name)
                frame = _LAST_GOOD.get(key)
        tables[name] = frame if frame is not None else empty_table(name)
    problems += cross_table_problems(tables)
    return tables, problems, tuple(stale)


def load_dataset(data_dir: Path, geo_dir: Path) -> Dataset:
    tables, problems, stale = load_tables(data_dir)
    layers, geo_problems = geo.load_layers(geo_dir)
    tables["projects"] = place(tables["projects"], tables["buildings"])
    tables["institutions"] = place(tables["institutions"], tables["buildings"])
    return Dataset(tables, layers, problems, geo_problems, stale)


def place(frame: pd.DataFrame, buildings: pd.DataFrame) -> pd.DataFrame:
    """Fill missing lat/lon from the row's building; rows with neither stay unmapped (NaN)."""
    if frame.empty:
        return frame
    lat, lon = Project.lat, Project.lon
    spots = buildings.set_index(Building.building_id)[[Building.lat, Building.lon]]
    out = frame.copy()
    ref = out[Institution.building_id]
    missing = out[lat].isna() & ref.isin(spots.index)
    if not missing.any():  # pandas refuses an empty str-typed assignment into a float column
        return out
    out.loc[missing, lat] = ref[missing].map(spots[Building.lat])
    out.loc[missing, lon] = ref[missing].map(spots[Building.lon])
    return out
