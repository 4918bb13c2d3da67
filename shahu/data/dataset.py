"""The tables and geo layers from disk, validated (`load_dataset`). Pure: a table whose file
turned invalid is served from the caller's `last_good` copy, its problems alongside, so visitors
keep a working app while staff see what to fix. Only `TABLES`' files and the geo layers are read."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from shahu.core.i18n import t
from shahu.data import geo
from shahu.data.files import NotAFile, TooLarge, mark, read_regular
from shahu.data.schemas import TABLES, Building, Institution, Project
from shahu.data.validation import Problem, cross_table_problems, read_csv_bytes

MAX_DERIVED = 512  # results kept per dataset (one per page, language and filter combination)


@dataclass
class Dataset:
    """Everything the pages show: typed tables, geo layers, and what is wrong on disk."""

    tables: dict[str, pd.DataFrame]
    layers: dict[str, gpd.GeoDataFrame]
    problems: list[Problem] = field(default_factory=list)
    geo_problems: list[geo.GeoProblem] = field(default_factory=list)
    stale: tuple[str, ...] = ()
    stamp: str = ""  # a digest of the files' `fingerprint` and the view: a key for derived caches
    folder: Path | None = None  # the data folder it was read from (where staff imports write)
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_derived", "_lock")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _derived={}, _lock=threading.Lock())

    def derived(self, fn: Callable, *args):
        """`fn(self, *args)`, worked out once for this dataset (shared read-only by every session)
        and kept with it: the first visitor computes it, the rest read it. `args` must be
        hashable; what comes back is shared too: read it, never change it."""
        key = (fn, args)
        try:
            return self._derived[key]
        except KeyError:
            pass
        value = fn(self, *args)
        with self._lock:
            if len(self._derived) >= MAX_DERIVED:  # e.g. many searches: start afresh
                self._derived.clear()
            return self._derived.setdefault(key, value)

    def fresh(self) -> dict[str, pd.DataFrame]:
        """The tables read valid from disk this time: what a caller keeps as its last good copy."""
        return {name: frame for name, frame in self.tables.items() if name not in self.stale}

    @property
    def showing_last_good(self) -> tuple[str, ...]:
        """The broken tables that are shown from an earlier valid copy (not empty stand-ins)."""
        return tuple(name for name in self.stale if not self.tables[name].empty)


def problems_notice(ds: Dataset, lang: str, *, staff: bool = False) -> str:
    """What the problems on disk mean for what is shown: the last valid data only when some of it
    really is shown (a fresh start with no valid file has nothing earlier to fall back on)."""
    n = len(ds.problems) + len(ds.geo_problems)
    prefix = "staff.disk_problems" if staff else "app.data_problems"
    return t(prefix if ds.showing_last_good else f"{prefix}_no_copy", lang, n=n)


def fingerprint(data_dir: Path, geo_dir: Path | None = None) -> tuple:
    """Size, mtime (ns) and content hash of every table file and geo layer: the cache key, so a
    refresh shows on the next rerun even within one mtime tick (see docs/PERFORMANCE.md item 5).
    Only our own file names are looked at; a missing one, a folder or a FIFO is marked, not read."""
    return tuple((folder, *mark(path)) for folder, path in _watched(data_dir, geo_dir))


@functools.lru_cache(maxsize=16)
def _watched(data_dir: Path, geo_dir: Path | None) -> tuple[tuple[str, Path], ...]:
    """(folder, path) of every file `fingerprint` looks at: worked out once per pair of folders,
    as every page load asks (see docs/PERFORMANCE.md item 28)."""
    paths = [data_dir / spec.filename for spec in TABLES.values()]
    if geo_dir is not None:
        paths += [geo_dir / f"{name}.geojson" for name in {**geo.LAYERS, **geo.OPTIONAL_LAYERS}]
    return tuple((str(path.parent), path) for path in paths)


@functools.lru_cache(maxsize=64)
def stamp_of(fingerprint_: tuple) -> str:
    """A short, stable cache key for a fingerprint (a string hashes fast in every cache key);
    remembered, as every page load asks for the same one until a file changes."""
    return hashlib.blake2b(repr(fingerprint_).encode(), digest_size=12).hexdigest()


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
    try:
        raw = read_regular(data_dir / spec.filename)
    except FileNotFoundError:  # also a dangling link
        return None, [Problem(spec.filename, "file_missing")]
    except NotAFile:
        return None, [Problem(spec.filename, "not_a_file")]
    except TooLarge:
        return None, [Problem(spec.filename, "file_too_large")]
    except OSError as err:
        return None, [Problem(spec.filename, "file_unreadable", params={"error": err.strerror})]
    return read_csv_bytes(spec, raw)


def load_tables(
    data_dir: Path, last_good: Mapping[str, pd.DataFrame] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem], tuple[str, ...]]:
    """All tables; an invalid one falls back to `last_good[name]` (or an empty table). Nothing is
    remembered here: the caller keeps the tables not listed as stale, if it wants to."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    stale: list[str] = []
    for name in TABLES:
        frame, found = read_table(data_dir, name)
        problems += found
        if frame is None:
            stale.append(name)
            frame = (last_good or {}).get(name)
        tables[name] = frame if frame is not None else empty_table(name)
    problems += cross_table_problems(tables)
    return tables, problems, tuple(stale)


def load_dataset(
    data_dir: Path, geo_dir: Path, last_good: Mapping[str, pd.DataFrame] | None = None
) -> Dataset:
    """The tables (a broken one from `last_good`, see `load_tables`), placed, and the geo layers."""
    tables, problems, stale = load_tables(data_dir, last_good)
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
