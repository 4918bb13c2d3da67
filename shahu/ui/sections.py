"""A page's parts as tabs, only the open one drawn (see docs/PERFORMANCE.md item 17): the tab a link
names (`?section=`), the one the filters change, or the first (`opened`). A chosen tab goes into the
URL; in presenter mode a tour step that names a part shows that part alone, with no tabs."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from shahu.core import sitemap
from shahu.core.i18n import t
from shahu.ui import state, tour


def label(page: str, part: str, lang: str) -> str:
    return t(f"section.{page}.{part}", lang)


def opened(page: str) -> str:
    """The open part of `page`: the one the link names (`?section=`); else, while the visitor's
    filters are on, the part they change (a link that carries filters opens what it filters);
    else the first."""
    site = sitemap.page(page)
    if named := state.section(page):
        return named
    if site.filtered_section and state.filters(state.dataset()).active:
        return site.filtered_section
    return site.sections[0]


def draw(page: str, lang: str, parts: Mapping[str, Callable[[], None]]) -> None:
    """Draw `page`'s parts (`sitemap` order, keyed by part name) as tabs; only the open one runs."""
    names = sitemap.page(page).sections
    named = opened(page)
    if named == tour.step_part(page):  # the tour's step is about this part: it alone
        parts[named]()
        return
    if state.section(page) is None and named != names[0]:
        state.set_section(page, named)  # opened for the filters: a filter reset keeps it open
    labels = [label(page, name, lang) for name in names]
    key = f"_tabs_{page}"
    wanted = labels[names.index(named)]
    if st.session_state.get(key) != wanted:  # a link, a filter change or another language
        st.session_state[key] = wanted  # (no `default=`: the tabs keep one id, and the focus)
    tabs = st.tabs(
        labels, key=key, on_change=_chosen, args=(page, dict(zip(labels, names, strict=True)))
    )
    for name, tab in zip(names, tabs, strict=True):
        if tab.open:
            with tab:
                parts[name]()


def _chosen(page: str, names: dict[str, str]) -> None:
    """The visitor chose a tab: it is named in the URL from now on (a shared link opens it)."""
    state.set_section(page, names.get(st.session_state.get(f"_tabs_{page}")))
