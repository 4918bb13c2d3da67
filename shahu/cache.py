"""The Streamlit caches: tables, map markers and charts, keyed on the data files' fingerprint.

The fingerprint (size, mtime and a content hash of each file) is part of every key, so a staff
refresh shows up on the next rerun with no restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from shahu import assets, samples
from shahu.data import Dataset, fingerprint, load_dataset
from shahu.filters import Filters, apply, from_params, to_params
from shahu.maps import PointRows, point_rows
from shahu.paths import data_dir, geo_dir
from shahu.schemas import Building

if TYPE_CHECKING:
    from plotly.graph_objects import Figure


_LAST_GOOD: dict[str, dict[str, pd.DataFrame]] = {}  # per data folder: its last valid tables


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset(data: str, geo: str, stamp: tuple) -> Dataset:
    last_good = _LAST_GOOD.setdefault(data, {})
    ds = load_dataset(Path(data), Path(geo), last_good=dict(last_good))
    last_good.update(ds.fresh())
    return replace(ds, stamp=stamp, folder=Path(data))


@st.cache_data(show_spinner=False, max_entries=8)
def _visible(data: str, geo: str, stamp: tuple, show_samples: bool) -> Dataset:
    return samples.visible(_dataset(data, geo, stamp), show_samples)


def full_dataset() -> Dataset:
    """The validated data, sample rows included (the staff page), reloaded when a file changed."""
    data, geo = data_dir(), geo_dir()
    return _dataset(str(data), str(geo), fingerprint(data, geo))


def dataset(show_samples: bool = False) -> Dataset:
    """What a visitor sees: the validated data without sample rows unless `show_samples`.

    Cached per data and switch, so a rerun does not filter every table again.
    """
    data, geo = data_dir(), geo_dir()
    return _visible(str(data), str(geo), fingerprint(data, geo), show_samples)


def _filtered(ds: Dataset, filter_params: tuple) -> pd.DataFrame:
    known = tuple(ds["buildings"][Building.building_id])
    return apply(ds["projects"], from_params(dict(filter_params), known))


@st.cache_data(show_spinner=False, max_entries=64)
def _point_rows(
    stamp: tuple,
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
    """The map's markers for this data, language, filters, base map and selection (cached).

    With no `filters` the map is the compact overview map (buildings only).
    """
    compact = filters is None
    params = () if compact else tuple(sorted(to_params(filters).items()))
    return _point_rows(ds.stamp, lang, basemap, params, selected, compact, ds)


@st.cache_resource(show_spinner=False, max_entries=64)
def _project_chart(
    chart: str, stamp: tuple, lang: str, filter_params: tuple, _build: Callable, _ds: Dataset
) -> Figure:
    return _build(_filtered(_ds, filter_params), lang)


def project_chart(
    build: Callable[[pd.DataFrame, str], Figure], ds: Dataset, lang: str, filters: Filters
) -> Figure:
    """`build(the visitor's filtered projects, lang)`, made once per data, language and filters.

    A cache_resource: `st.plotly_chart` only reads a figure (it copies it with `to_dict`), so
    one figure serves every visitor, where a cache_data copy would re-validate it on each hit.
    """
    params = tuple(sorted(to_params(filters).items()))
    name = f"{build.__module__}.{build.__qualname__}"
    return _project_chart(name, ds.stamp, lang, params, build, ds)


@st.cache_resource(show_spinner=False, max_entries=32)
def _table_chart(chart: str, stamp: tuple, lang: str, table: str, _build: Callable, _ds: Dataset):
    return _build(_ds[table], lang)


def table_chart(
    build: Callable[[pd.DataFrame, str], Figure], ds: Dataset, table: str, lang: str
) -> Figure:
    """`build(ds[table], lang)`, made once per data and language and shared like `project_chart`.

    Building a plotly figure (layout updates, validation) was half a first visit's CPU on the
    sectors and finance pages.
    """
    name = f"{build.__module__}.{build.__qualname__}"
    return _table_chart(name, ds.stamp, lang, table, build, ds)


@st.cache_resource(show_spinner=False)
def ensure_assets() -> bool:
    """Vendored Leaflet files in place (normally done by `make`); True once installed."""
    if not assets.installed():
        assets.install()
    return assets.installed()
