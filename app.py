"""Entry point: page config, navigation over pages/, the dataset of this run, the shared sidebar."""

from __future__ import annotations

import logging

import streamlit as st

from shahu.content import markup
from shahu.core import sitemap
from shahu.core.i18n import t
from shahu.core.paths import STATIC_DIR
from shahu.map import assets
from shahu.ui import cache, navigation, printing, state, tour
from shahu.ui.blocks import data_footer, samples_banner
from shahu.ui.sidebar import sidebar

st.set_page_config(
    page_title="环沙湖双碳经济带 · Sha Lake Dual-Carbon Belt",
    page_icon=assets.favicon_uri(),
    layout="wide",
)
cache.ensure_assets()
lang = state.lang()
page = navigation.navigation(lang)
tour.follow(page.url_path, lang)  # presenter mode: the step decides the page
ds = state.load_dataset()
printing.page_style(ds, lang)
state.seed_view(ds, page.url_path)
state.sync_url(ds, page.url_path, step=tour.index())

if tour.presenting():
    st.html(markup.stylesheet(STATIC_DIR / "present.css"))
    tour.bar(lang)

if state.samples_on() and not sitemap.page(page.url_path).staff:
    samples_banner(lang)

try:
    page.run()
    data_footer(ds, lang)  # when the data last changed, under every page
except Exception:
    logging.getLogger("shahu").exception("page %s failed", page.url_path)
    st.error(t("app.error", lang))

# The sidebar comes after the page, so the page's own content (above all the map) reaches the
# browser before the sidebar's widgets (docs/PERFORMANCE.md, “What made it fast”: First visit).
sidebar(ds, lang, page.url_path)
