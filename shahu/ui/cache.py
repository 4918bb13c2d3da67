"""The Streamlit caches: tables and map markers, and the shared read-only dataset that keeps the
charts and what the pages show (`Dataset.derived`). The data files' fingerprint is part of every
key, so a staff refresh shows on the next rerun with no restart."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import cachetools
import pandas as pd
import streamlit as st

from shahu.content import views
from shahu.content.chart_text import Chart, described
from shahu.core.paths import data_dir, geo_dir
from shahu.data import samples
from shahu.data.dataset import Dataset, fingerprint, load_dataset, stamp_of
from shahu.data.filters import Filters, from_params, to_params
from shahu.map import assets
from shahu.map.points import PointRows, point_rows

if TYPE_CHECKING:
    from plotly.graph_objects import Figure


_LAST_GOOD: dict[str, dict[str, pd.DataFrame]] = {}  # per data folder: its last valid tables


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset(data: str, geo: str, stamp: str) -> Dataset:
    last_good = _LAST_GOOD.setdefault(data, {})
    ds = load_dataset(Path(data), Path(geo), last_good=dict(last_good))
    last_good.update(ds.fresh())
    return replace(ds, stamp=stamp, folder=Path(data))


@cachetools.cached(cachetools.LRUCache(maxsize=8), condition=threading.Condition())
def _shared(key: tuple[str, str, str, str]) -> Dataset:
    """The dataset for (data folder, geo folder, files' stamp, view), shared read-only by every
    session; a plain LRU cache, as every run asks for it (see docs/PERFORMANCE.md item 20)."""
    data, geo, stamp, view = key
    ds = _dataset(data, geo, stamp)
    return ds if view == "full" else samples.visible(ds, view == "samples")


def _view(view: str) -> Dataset:
    data, geo = data_dir(), geo_dir()
    return _shared((str(data), str(geo), stamp_of(fingerprint(data, geo)), view))


def full_dataset() -> Dataset:
    """The validated data, sample rows included (the staff page), reloaded when a file changed."""
    return _view("full")


def dataset(show_samples: bool = False) -> Dataset:
    """What a visitor sees: the validated data without sample rows unless `show_samples`, one copy
    per data and switch shared read-only by every session (`_shared`; see docs/PERFORMANCE.md
    item 4). A page never changes a table in place (a test holds every page to that)."""
    return _view("samples" if show_samples else "public")


def _filtered(ds: Dataset, filter_params: tuple) -> pd.DataFrame:
    """The projects for a cache key's filter parameters: the pages' own `views.filtered`."""
    return ds.derived(
        views.filtered, from_params(dict(filter_params), ds.derived(views.building_ids))
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _point_rows(
    stamp: str,
    lang: str,
    basemap: str,
    filter_params: tuple,
    selected: str | None,
    compact: bool,
    _ds: Dataset,
) -> PointRows:
    projects = _filtered(_ds, filter_params)
    return point_rows(
        _ds, lang, basemap=basemap, projects=projects, selected=selected, compact=compact
    )


def map_rows(
    ds: Dataset,
    lang: str,
    filters: Filters | None = None,
    basemap: str = "none",
    selected: str | None = None,
) -> PointRows:
    """The map's markers for this data, language, filters, base map and selection (cached); with
    no `filters`, the compact overview map (buildings only)."""
    compact = filters is None
    params = () if compact else tuple(sorted(to_params(filters).items()))
    return _point_rows(ds.stamp, lang, basemap, params, selected, compact, ds)


def _project_chart(ds: Dataset, build: Callable, lang: str, filter_params: tuple) -> Chart:
    return described(build(_filtered(ds, filter_params), lang), lang)


def project_chart(
    build: Callable[[pd.DataFrame, str], Figure], ds: Dataset, lang: str, filters: Filters
) -> Chart:
    """`build(the visitor's filtered projects, lang)` with its text alternative, made once per data,
    language and filters and kept with the shared dataset: `st.plotly_chart` only reads a figure,
    so one serves every visitor (see docs/PERFORMANCE.md item 13)."""
    return ds.derived(_project_chart, build, lang, tuple(sorted(to_params(filters).items())))


def _table_chart(ds: Dataset, build: Callable, table: str, lang: str) -> Chart:
    return described(build(ds[table], lang), lang)


def table_chart(
    build: Callable[[pd.DataFrame, str], Figure], ds: Dataset, table: str, lang: str
) -> Chart:
    """`build(ds[table], lang)`, made once per data and language and shared like `project_chart`
    (see docs/PERFORMANCE.md item 3)."""
    return ds.derived(_table_chart, build, table, lang)


@functools.cache
def ensure_assets() -> bool:
    """Vendored Leaflet files in place (normally done by `make`); True once installed. Once per
    process, in a plain cache, as every run asks (see docs/PERFORMANCE.md item 28)."""
    if not assets.installed():
        assets.install()
    return assets.installed()
