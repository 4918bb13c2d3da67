"""The one sidebar every page shares: language, filters where projects are listed, data status,
presenter mode and the link to this view."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from shahu.data import Dataset
from shahu.i18n import LANGS, t
from shahu.sitemap import FILTERED
from shahu.ui import filters, state, tour

SHARE_KEY = "share_link"


def share_link() -> str:
    """The absolute address of exactly this view (page, language, filters, selection)."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    return f"{base}?{query}" if query else base


def _share_field(lang: str) -> None:
    """The link to this view in a text field, ready to select and copy.

    A text field, not `st.code`: the code block's highlighter is a 1.5 MB script that every
    first visit would have to load before the map (about 250 ms on our 2-core machine).
    """
    st.session_state[SHARE_KEY] = share_link()
    st.text_input(t("share.title", lang), key=SHARE_KEY, label_visibility="collapsed")


def sidebar(ds: Dataset, lang: str, page: str) -> None:
    """Draw the sidebar for `page` (a sitemap key)."""
    with st.sidebar:
        st.markdown(f"**{t('app.title', lang)}**  \n{t('app.subtitle', lang)}")
        st.segmented_control(
            t("app.language", lang),
            LANGS,
            format_func=lambda code: t(f"lang.{code}", code),
            key=state.LANG_KEY,
            selection_mode="single",
        )
        if page in FILTERED:
            filters.controls(ds, lang)
        n = len(ds.problems) + len(ds.geo_problems)
        if n:
            st.warning(t("app.data_problems", lang, n=n))
        else:
            st.caption(":material/check_circle: " + t("app.data_ok", lang))
        if st.button(
            t("tour.present", lang), icon=":material/slideshow:", help=t("tour.present_help", lang)
        ):
            tour.start(lang)
        with st.expander(t("share.title", lang), icon=":material/link:"):
            st.caption(t("share.help", lang))
            _share_field(lang)
