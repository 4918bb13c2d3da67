"""The page list as Streamlit navigation, and the one workaround it needs."""

from __future__ import annotations

import copy
import functools

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager

from shahu.core.i18n import t
from shahu.core.sitemap import PAGES
from shahu.ui import staff


def navigation(lang: str) -> StreamlitPage:
    """`st.navigation` over `sitemap.PAGES`, titled in the visitor's language. Staff pages are not
    part of the show: they open at their URL (`/data`) but are listed only once staff sign in."""
    return st.navigation([copy.copy(p) for p in _pages(lang, staff.who() is not None)])


@functools.lru_cache(maxsize=8)
def _pages(lang: str, staff_in: bool) -> tuple[StreamlitPage, ...]:
    """The `st.Page`s for a language and sign-in state, made once per process (making one resolves
    its file: see docs/PERFORMANCE.md item 12); `st.navigation` marks the page it runs, so each
    run gets shallow copies."""
    return tuple(
        st.Page(
            p.file,
            title=t(p.title_key, lang),
            icon=p.icon,
            url_path=p.key,
            default=not p.key,
            visibility="visible" if staff_in or not p.staff else "hidden",
        )
        for p in PAGES
    )


def leave_legacy_multipage() -> None:
    """Put app.py's `st.navigation` in charge even on a deep link to a fresh server: with a `pages/`
    folder, Streamlit runs `/map` alone until a session calls it (streamlit/streamlit#9624), so
    this sets its flag and reruns; `tests/unit/test_navigation.py` fails if the flag is renamed."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
