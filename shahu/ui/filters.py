"""The project filter widgets: one set in the sidebar, and the “filters active · reset” banner."""

from __future__ import annotations

import streamlit as st

from shahu.data import Dataset
from shahu.filters import Filters, amount_ceiling, apply, describe
from shahu.formatting import md
from shahu.i18n import t
from shahu.labels import names_by_id
from shahu.schemas import PROJECT_STATUSES, SECTORS, Building
from shahu.ui import state, tour

_W = {  # the Filters field each widget edits, and the widget's key
    "sectors": "fw_sector",
    "statuses": "fw_status",
    "buildings": "fw_building",
    "amount": "fw_amount",
    "undisclosed": "fw_undisclosed",
    "search": "fw_search",
}


def _store(ceiling: float) -> None:
    ss = st.session_state
    lo, hi = ss.get(_W["amount"], (0.0, ceiling))
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


def controls(ds: Dataset, lang: str) -> None:
    """The one set of filter widgets (in the sidebar), shared by every page that lists projects."""
    f = state.filters(ds)
    ceiling = amount_ceiling(ds["projects"])
    ss = st.session_state
    ss[_W["sectors"]] = list(f.sectors)
    ss[_W["statuses"]] = list(f.statuses)
    ss[_W["buildings"]] = list(f.buildings)
    ss[_W["amount"]] = (min(f.amount_min or 0.0, ceiling), min(f.amount_max or ceiling, ceiling))
    ss[_W["undisclosed"]] = f.undisclosed
    ss[_W["search"]] = f.search
    names = names_by_id(ds["buildings"], Building.building_id, lang)
    every = {"on_change": _store, "args": (ceiling,)}
    pick = {"placeholder": t("filters.all", lang), **every}
    st.markdown(f"**{t('filters.title', lang)}**")
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
    st.slider(t("filters.amount", lang), 0.0, ceiling, key=_W["amount"], step=0.1, **every)
    st.checkbox(t("filters.undisclosed", lang), key=_W["undisclosed"], **every)
    shown, total = len(apply(ds["projects"], f)), len(ds["projects"])
    if f.active:
        st.caption(t("filters.active", lang, n=shown, total=total))
        st.button(
            t("filters.reset", lang), on_click=state.reset_filters, icon=":material/filter_alt_off:"
        )
    else:
        st.caption(t("filters.inactive", lang, total=total))


def banner(ds: Dataset, lang: str) -> None:
    """The “filters active · reset” bar inside the page, visible even where the sidebar is hidden."""
    f = state.filters(ds)
    if not f.active:
        if not tour.presenting():  # the hint points at the sidebar, which the stage hides
            st.caption(t("filters.hint", lang))
        return
    names = names_by_id(ds["buildings"], Building.building_id, lang)
    shown, total = len(apply(ds["projects"], f)), len(ds["projects"])
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
