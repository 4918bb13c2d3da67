"""The visitor's state: language, the dataset of this run, filters, and the URL that mirrors them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import streamlit as st

from shahu.content import events, views
from shahu.core import sitemap
from shahu.core.i18n import DEFAULT_LANG, normalize_lang
from shahu.data import samples
from shahu.data.dataset import Dataset
from shahu.data.filters import PARAM_NAMES, Filters, from_params, to_params
from shahu.data.schemas import Building
from shahu.map.basemaps import BASEMAPS
from shahu.ui import cache, navigation

LANG_KEY = "lang"
DATASET_KEY = "_dataset"
SAMPLES_KEY = samples.PARAM  # the visitor's choice in session state, and its URL parameter
SAMPLES_SWITCH_KEY = "samples_switch"  # the sidebar's switch (drawn only while its panel is open)
FILTERS_KEY = "filters"
SECTION_KEY = "section"
EVENT_KEY = events.PARAM  # the signings page's chosen event, in session state and the link
VIEW_KEYS = {"map": ("building", "basemap"), "signings": (EVENT_KEY,)}  # widgets in a page's link
MANAGED_PARAMS = (
    *PARAM_NAMES,
    samples.PARAM,
    "present",
    "step",
    "building",
    "basemap",
    "section",
    EVENT_KEY,
)


def lang() -> str:
    """The visitor's language: session state, first seeded from `?lang=` in the URL. Every page asks
    for it first, so a page run without app.py turns back here (`leave_legacy_multipage`)."""
    navigation.leave_legacy_multipage()
    chosen = st.session_state.get(LANG_KEY)
    if chosen is None:
        chosen = st.session_state[LANG_KEY] = normalize_lang(st.query_params.get(LANG_KEY))
    return normalize_lang(chosen)


def set_samples_from_switch() -> None:
    """The sidebar switch's `on_change`: the switch may go undrawn (its panel closed), the choice
    stays."""
    st.session_state[SAMPLES_KEY] = bool(st.session_state[SAMPLES_SWITCH_KEY])


def samples_on() -> bool:
    """The visitor's “show sample rows” switch: off unless `?samples=1`, then kept for the session."""
    on = st.session_state.get(SAMPLES_KEY)
    if on is None:
        on = st.session_state[SAMPLES_KEY] = samples.from_params(st.query_params.to_dict())
    return bool(on)


def load_dataset() -> Dataset:
    """Load (from cache) the data for this run; app.py calls it once, pages read `dataset()`:
    without sample rows unless the visitor switched them on; the staff page reads `full_dataset()`."""
    ds = st.session_state[DATASET_KEY] = cache.dataset(samples_on())
    return ds


def dataset() -> Dataset:
    """The dataset app.py loaded for this run."""
    if DATASET_KEY not in st.session_state:
        return load_dataset()
    return st.session_state[DATASET_KEY]


def full_dataset() -> Dataset:
    """Every row, sample rows included: what staff edit on the data page."""
    dataset()
    return cache.full_dataset()


def filters(ds: Dataset) -> Filters:
    """The visitor's project filters: one value in session state, first seeded from the URL,
    always within what the data allows today (an old link, or data that shrank meanwhile)."""
    stored = st.session_state.get(FILTERS_KEY)
    if stored is None:  # first run: the link's filters
        current = from_params(st.query_params.to_dict(), ds.derived(views.building_ids))
    else:
        current = stored
    clamped = ds.derived(views.clamped, current)
    if clamped != stored:
        st.session_state[FILTERS_KEY] = clamped
    return clamped


def set_filters(f: Filters) -> None:
    """Replace the visitor's filters; the widgets and the URL follow on this run."""
    st.session_state[FILTERS_KEY] = f


def reset_filters() -> None:
    set_filters(Filters())


def filtered_projects(ds: Dataset) -> pd.DataFrame:
    """The projects that pass the visitor's filters (shared: read, never change)."""
    return ds.derived(views.filtered, filters(ds))


def _seed_from_url(key: str, wanted: str, allowed: Callable[[], Iterable[str]]) -> None:
    """Let `?key=wanted` set a widget's state when the link is opened (and only then)."""
    marker = f"_url_{key}"
    if wanted != st.session_state.get(marker):
        st.session_state[marker] = wanted
        if wanted in set(allowed()):
            st.session_state[key] = wanted


def forget_url_seed(key: str) -> None:
    """Let the next link that names `key` seed it again, even with the same value."""
    st.session_state.pop(f"_url_{key}", None)


def seed_view(ds: Dataset, page: str) -> None:
    """Restore the page's view (e.g. the map's building and base map) from an opened link."""
    keys = VIEW_KEYS.get(page, ())
    named = {k: v for k, v in st.query_params.to_dict().items() if k in keys and v} if keys else {}
    allowed = {
        "building": lambda: ds["buildings"][Building.building_id],
        "basemap": lambda: BASEMAPS,
        EVENT_KEY: lambda: ds.derived(events.event_ids),
    }
    for key, wanted in named.items():  # the map page's only: others never read the buildings
        _seed_from_url(key, wanted, allowed[key])


def chosen_event(ds: Dataset) -> str | None:
    """The event the visitor chose (or the link named), if the data has it; None: the newest."""
    wanted = st.session_state.get(EVENT_KEY)
    if wanted is not None and wanted not in ds.derived(events.event_ids):
        del st.session_state[EVENT_KEY]  # an event the data no longer has
        return None
    return wanted


def section(page: str, params: Mapping[str, str] | None = None) -> str | None:
    """The part of `page` that the opened link brings into view (`?section=`), if it names one;
    `params`: the link's parameters when the caller has read them already."""
    wanted = (st.query_params if params is None else params).get(SECTION_KEY)
    return wanted if wanted in sitemap.page(page).sections else None


def set_section(page: str, part: str | None) -> None:
    """Bring `part` of `page` into view from now on, and into the link (None: the page's first)."""
    if part in sitemap.page(page).sections:
        st.query_params[SECTION_KEY] = part
    else:
        st.query_params.pop(SECTION_KEY, None)


def view_params() -> dict[str, str]:
    """This view's parameters as the URL has them, only those the app reads, and always the
    language: a link shared from here opens in the language it was shared in, and carries no
    parameter someone else put in the URL."""
    known = (LANG_KEY, *MANAGED_PARAMS)
    return {LANG_KEY: lang(), **{k: v for k, v in st.query_params.to_dict().items() if k in known}}


def sync_url(ds: Dataset, page: str = "", step: int | None = None) -> None:
    """Mirror language, filters, the presenter's `step` (0-based) and the page's view into the URL;
    a URL with no `lang=` gets none while the language is the default (docs/PERFORMANCE.md item 26)."""
    current = st.query_params.to_dict()
    chosen = lang()
    named = chosen != DEFAULT_LANG or LANG_KEY in current
    wanted = {LANG_KEY: chosen} if named else {}
    wanted.update(**to_params(filters(ds)), **samples.to_params(samples_on()))
    if step is not None:
        wanted.update(present="1", step=str(step + 1))
    if part := section(page, current):
        wanted[SECTION_KEY] = part
    for key in VIEW_KEYS.get(page, ()):
        value = st.session_state.get(key)
        if value and value != "none":
            wanted[key] = str(value)
    changed = {k: v for k, v in wanted.items() if current.get(k) != v}
    if changed:
        st.query_params.update(changed)  # one message to the browser, not one per parameter
    for name in MANAGED_PARAMS:
        if name in current and name not in wanted:
            del st.query_params[name]
