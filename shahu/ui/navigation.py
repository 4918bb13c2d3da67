"""The page list as Streamlit navigation, and the one workaround it needs."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager

from shahu.i18n import t
from shahu.sitemap import PAGES
from shahu.ui import staff


def navigation(lang: str) -> StreamlitPage:
    """`st.navigation` over `sitemap.PAGES`, titled in the visitor's language.

    Staff pages are not part of the show: they open at their URL (e.g. `/data`) but are listed
    only once a staff member has signed in.
    """
    staff_in = staff.who() is not None
    pages = [
        st.Page(
            p.file,
            title=t(p.title_key, lang),
            icon=p.icon,
            url_path=p.key,
            default=not p.key,
            visibility="visible" if staff_in or not p.staff else "hidden",
        )
        for p in PAGES
    ]
    return st.navigation(pages)


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
