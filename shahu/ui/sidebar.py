"""The one sidebar every page shares: language, filters where projects are listed, data status,
and one panel with presenter mode, the sample-rows switch and the link to this view."""

from __future__ import annotations

import streamlit as st

from shahu.core.i18n import LANGS, t
from shahu.core.sitemap import FILTERED
from shahu.core.sitemap import page as site_page
from shahu.data.dataset import Dataset, problems_notice
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
        if page in FILTERED:
            filters.panel(ds, lang, page)
        if not ok:
            st.warning(problems_notice(ds, lang))
        _more(lang, page)


def _more(lang: str, page: str) -> None:
    """Presenter mode, the sample-rows switch and “share this view”, in one panel drawn only once
    opened (see docs/PERFORMANCE.md item 25); open by itself while sample rows are shown, so the
    switch that hides them is in sight."""
    box = st.expander(
        t("sidebar.more", lang),
        expanded=state.samples_on(),
        icon=":material/more_horiz:",
        key=share.PANEL_KEY,
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        if st.button(
            t("tour.present", lang), icon=":material/slideshow:", help=t("tour.present_help", lang)
        ):
            tour.start(lang)
        st.toggle(
            t("truth.toggle", lang),
            value=state.samples_on(),
            key=state.SAMPLES_SWITCH_KEY,
            on_change=state.set_samples_from_switch,
            help=t("truth.toggle_help", lang),
        )
        share.link_and_qr(site_page(page).url, lang)
