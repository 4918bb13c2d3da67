"""The one sidebar every page shares: language, filters where projects are listed, data status,
presenter mode and the link to this view."""

from __future__ import annotations

import streamlit as st

from shahu.data import Dataset, problems_notice
from shahu.i18n import LANGS, t
from shahu.sitemap import FILTERED
from shahu.sitemap import page as site_page
from shahu.ui import filters, share, state, tour


def sidebar(ds: Dataset, lang: str, page: str) -> None:
    """Draw the sidebar for `page` (a sitemap key)."""
    with st.sidebar:
        ok = not (ds.problems or ds.geo_problems)
        status = (
            f"\n\n:small[:gray[:material/check_circle: {t('app.data_ok', lang)}]]" if ok else ""
        )
        st.markdown(f"**{t('app.title', lang)}**  \n{t('app.subtitle', lang)}{status}")
        st.segmented_control(
            t("app.language", lang),
            LANGS,
            format_func=lambda code: t(f"lang.{code}", code),
            key=state.LANG_KEY,
            selection_mode="single",
        )
        st.toggle(t("truth.toggle", lang), key=state.SAMPLES_KEY, help=t("truth.toggle_help", lang))
        if page in FILTERED:
            filters.panel(ds, lang, page)
        if not ok:
            st.warning(problems_notice(ds, lang))
        if st.button(
            t("tour.present", lang), icon=":material/slideshow:", help=t("tour.present_help", lang)
        ):
            tour.start(lang)
        share.panel(site_page(page).url, lang)
