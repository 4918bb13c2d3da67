"""The project filter widgets: one set in the sidebar, and the “filters active · reset” banner."""

from __future__ import annotations

import streamlit as st

from shahu.content import views
from shahu.content.markup import md
from shahu.core import sitemap
from shahu.core.i18n import t
from shahu.data.dataset import Dataset
from shahu.data.filters import Filters, describe
from shahu.data.schemas import PROJECT_STATUSES, SECTORS
from shahu.ui import state, tour

OPEN_KEY = "filters_open"  # the sidebar panel's open state (True opens it, e.g. in a test)
_W = {  # the Filters field each widget edits, and the widget's key
    "sectors": "fw_sector",
    "statuses": "fw_status",
    "buildings": "fw_building",
    "amount": "fw_amount",
    "undisclosed": "fw_undisclosed",
    "search": "fw_search",
}


def _slider_unit(lang: str) -> tuple[float, int, str]:
    """How many slider units make one 亿元, the slider's decimals, and its printf format.

    Chinese slides in 亿元; English in CNY bn (1 亿元 = CNY 0.1 bn), the unit its pages use.
    The filter itself (and the `amin`/`amax` link parameters) stays in 亿元.
    """
    if lang == "zh":
        return 1.0, 1, "%.1f"
    return 0.1, 2, "CNY %.2f bn"


def _store(ceiling: float, scale: float, page: str) -> None:
    """A filter widget changed: the visitor's filters follow, and the page shows what they filter."""
    ss = st.session_state
    lo, hi = ss.get(_W["amount"], (0.0, ceiling * scale))
    lo, hi = round(lo / scale, 4), round(hi / scale, 4)
    state.set_filters(
        Filters(
            sectors=tuple(ss.get(_W["sectors"], ())),
            statuses=tuple(ss.get(_W["statuses"], ())),
            buildings=tuple(ss.get(_W["buildings"], ())),
            amount_min=None if lo <= 0 else float(lo),
            amount_max=None if hi >= ceiling else float(hi),
            undisclosed=bool(ss.get(_W["undisclosed"], True)),
            search=str(ss.get(_W["search"], "")).strip(),
        )
    )
    site = sitemap.page(page)
    if site.filtered_section and state.section(page) in (None, site.sections[0]):
        state.set_section(page, site.filtered_section)  # from the part no filter changes


def panel(ds: Dataset, lang: str, page: str) -> None:
    """The sidebar's “filter projects”: the widgets once opened (under how many projects there
    are), and with filters on, how many are shown and a reset.

    Open by itself when a link brings filters along. Closed, it costs a first visit nothing:
    on a phone the sidebar is folded away, and a room of phones opens the page at once.
    """
    f = state.filters(ds)
    box = st.expander(
        t("filters.title", lang),
        expanded=f.active,
        icon=":material/filter_list:",
        key=OPEN_KEY,
        on_change="rerun",
    )
    total = len(ds["projects"])
    if box.open:
        with box:
            if not f.active:
                st.caption(t("filters.inactive", lang, total=total))
            controls(ds, f, lang, page)
    if f.active:  # what narrows the view stays in sight with the panel closed
        shown = len(ds.derived(views.filtered, f))
        st.caption(t("filters.active", lang, n=shown, total=total))
        st.button(
            t("filters.reset", lang), on_click=state.reset_filters, icon=":material/filter_alt_off:"
        )


def controls(ds: Dataset, f: Filters, lang: str, page: str) -> None:
    """The one set of filter widgets (in the sidebar), shared by every page that lists projects."""
    ceiling = ds.derived(views.ceiling)
    ss = st.session_state
    ss[_W["sectors"]] = list(f.sectors)
    ss[_W["statuses"]] = list(f.statuses)
    ss[_W["buildings"]] = list(f.buildings)
    scale, decimals, fmt = _slider_unit(lang)
    lo, hi = min(f.amount_min or 0.0, ceiling), min(f.amount_max or ceiling, ceiling)
    ss[_W["amount"]] = (round(lo * scale, decimals), round(hi * scale, decimals))
    ss[_W["undisclosed"]] = f.undisclosed
    ss[_W["search"]] = f.search
    names = ds.derived(views.building_names, lang)
    every = {"on_change": _store, "args": (ceiling, scale, page)}
    pick = {"placeholder": t("filters.all", lang), **every}
    st.text_input(t("filters.search", lang), key=_W["search"], max_chars=60, **every)
    st.multiselect(
        t("filters.sector", lang),
        SECTORS,
        key=_W["sectors"],
        format_func=lambda s: t(f"sector.{s}", lang),
        **pick,
    )
    st.multiselect(
        t("filters.status", lang),
        PROJECT_STATUSES,
        key=_W["statuses"],
        format_func=lambda s: t(f"status.{s}", lang),
        **pick,
    )
    st.multiselect(
        t("filters.building", lang), list(names), key=_W["buildings"], format_func=names.get, **pick
    )
    st.slider(
        t("filters.amount", lang),
        0.0,
        round(ceiling * scale, decimals),
        key=_W["amount"],
        step=round(0.1 * scale, decimals),
        format=fmt,
        **every,
    )
    st.checkbox(t("filters.undisclosed", lang), key=_W["undisclosed"], **every)


def banner(ds: Dataset, lang: str, hint: bool = True) -> None:
    """The “filters active · reset” bar above what the filters change (the table, the charts, the
    map), visible even where the sidebar is hidden.

    With no filter on, a line on where the filters are (`hint`; the map page says it among the
    notes under its title)."""
    f = state.filters(ds)
    if not f.active:
        if hint and not tour.presenting():  # the stage has no sidebar
            st.caption(t("filters.hint", lang))
        return
    names = ds.derived(views.building_names, lang)
    shown, total = len(ds.derived(views.filtered, f)), len(ds["projects"])
    with st.container(border=True):
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(
            f"**{t('filters.active', lang, n=shown, total=total)}**  \n"
            + md(" · ".join(describe(f, lang, names)))
        )
        button.button(
            t("filters.reset", lang),
            key="filters_reset_page",
            on_click=state.reset_filters,
            icon=":material/filter_alt_off:",
            width="stretch",
        )
