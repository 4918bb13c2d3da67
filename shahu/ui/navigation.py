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
    """`st.navigation` over `sitemap.PAGES`, titled in the visitor's language.

    Staff pages are not part of the show: they open at their URL (e.g. `/data`) but are listed
    only once a staff member has signed in.
    """
    return st.navigation([copy.copy(p) for p in _pages(lang, staff.who() is not None)])


@functools.lru_cache(maxsize=8)
def _pages(lang: str, staff_in: bool) -> tuple[StreamlitPage, ...]:
    """The `st.Page`s for a language and sign-in state, made once per process.

    Making one resolves its file through the file system (a tenth of the CPU of a visit to a
    small page); `st.navigation` marks the page it runs, so each run gets shallow copies.
    """
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
    """Make sure app.py's `st.navigation` is in charge, even on a deep link to a fresh server.

    The project's layout keeps pages in `pages/`, and Streamlit treats an app with a `pages/`
    folder as a legacy (v1) multipage app until some session has called `st.navigation`: until
    then a deep link such as `/map` runs the page file alone, without app.py (no sidebar, no
    dataset; streamlit/streamlit#9624). No configuration switches that off, so this flips the
    process-wide flag that `st.navigation` itself sets and reruns, and app.py frames the page.
    `tests/test_navigation.py` fails if a Streamlit upgrade renames the flag.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
