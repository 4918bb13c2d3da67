"""A page's parts as tabs, of which only the open one is drawn.

A first visit costs the server a message per element, so a long page sends only its first screen:
the tab a link names (`?section=`), or the first. Choosing a tab reruns the page and puts the tab
in the URL, so a shared link opens it. In presenter mode a tour step that names a part shows only
that part, with no tabs on the stage; on a step that names none the presenter can use the tabs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from shahu import sitemap
from shahu.i18n import t
from shahu.ui import state, tour


def label(page: str, part: str, lang: str) -> str:
    return t(f"section.{page}.{part}", lang)


def draw(page: str, lang: str, parts: Mapping[str, Callable[[], None]]) -> None:
    """Draw `page`'s parts (`sitemap` order, keyed by part name) as tabs; only the open one runs."""
    names = sitemap.page(page).sections
    named = state.section(page)
    if named and named == tour.step_part(page):  # the tour's step is about this part: it alone
        parts[named]()
        return
    labels = [label(page, name, lang) for name in names]
    tabs = st.tabs(
        labels,
        default=labels[names.index(named)] if named else None,
        key=f"_tabs_{page}",
        on_change=_chosen,
        args=(page, dict(zip(labels, names, strict=True))),
    )
    for name, tab in zip(names, tabs, strict=True):
        if tab.open:
            with tab:
                parts[name]()


def _chosen(page: str, names: dict[str, str]) -> None:
    """The visitor chose a tab: name it in the URL (the first one needs no name)."""
    name = names.get(st.session_state.get(f"_tabs_{page}"))
    state.set_section(page, None if name == sitemap.page(page).sections[0] else name)
