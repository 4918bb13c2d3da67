"""The one Streamlit-aware module besides the pages: cached data, the language, shared state.

Tables are cached with `st.cache_data` keyed on the data files' fingerprint (size + mtime),
so a staff refresh shows up on the next rerun with no restart.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from shahu import assets
from shahu.data import Dataset, fingerprint, load_dataset
from shahu.i18n import normalize_lang
from shahu.paths import data_dir, geo_dir

LANG_KEY = "lang"


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset(data: str, geo: str, stamp: tuple) -> Dataset:
    return load_dataset(Path(data), Path(geo))


def dataset() -> Dataset:
    """The validated data, reloaded only when a file changed on disk."""
    data, geo = data_dir(), geo_dir()
    return _dataset(str(data), str(geo), fingerprint(data, geo))


@st.cache_resource(show_spinner=False)
def ensure_assets() -> bool:
    """Vendored Leaflet files in place (normally done by `make`); True once installed."""
    if not assets.installed():
        assets.install()
    return assets.installed()


def leave_legacy_multipage() -> None:
    """Make sure app.py's `st.navigation` is in charge, even on a deep link to a fresh server.

    Streamlit treats an app with a `pages/` folder as a legacy (v1) multipage app until some
    session has called `st.navigation`; until then a deep link such as `/map` runs the page
    file directly, without app.py (streamlit/streamlit#9624). Every page calls this first: it
    switches the process to `st.navigation` and reruns, so app.py frames the page as usual.
    """
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    """The visitor's language: session state, first seeded from `?lang=` in the URL."""
    leave_legacy_multipage()
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalize_lang(st.query_params.get(LANG_KEY))
    return normalize_lang(st.session_state[LANG_KEY])


def sync_lang_to_url() -> None:
    """Keep `?lang=` in the URL so a copied link opens in the same language."""
    current = lang()
    if st.query_params.get(LANG_KEY) != current:
        st.query_params[LANG_KEY] = current
