"""Entry point: page config, navigation over pages/, and the one shared sidebar."""

from __future__ import annotations

import logging

import streamlit as st

from shahu import cache
from shahu.i18n import LANGS, t
from shahu.paths import STATIC_DIR

STYLE_PATH = STATIC_DIR / "app.css"

st.set_page_config(
    page_title="环沙湖双碳经济带 · Sha Lake Dual-Carbon Belt",
    page_icon=str(STATIC_DIR / "favicon.png"),
    layout="wide",
)
cache.ensure_assets()
st.html(STYLE_PATH)
lang = cache.lang()

PAGES = [
    st.Page(
        "pages/overview.py",
        title=t("nav.overview", lang),
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    st.Page("pages/map.py", title=t("nav.map", lang), icon=":material/map:", url_path="map"),
]
page = st.navigation(PAGES)

with st.sidebar:
    st.markdown(f"**{t('app.title', lang)}**  \n{t('app.subtitle', lang)}")
    st.segmented_control(
        t("app.language", lang),
        LANGS,
        format_func=lambda code: t(f"lang.{code}", code),
        key=cache.LANG_KEY,
        selection_mode="single",
    )
    ds = cache.dataset()
    n = len(ds.problems) + len(ds.geo_problems)
    if n:
        st.warning(t("app.data_problems", lang, n=n))
    else:
        st.caption(":material/check_circle: " + t("app.data_ok", lang))
cache.sync_lang_to_url()

try:
    page.run()
except Exception:
    logging.getLogger("shahu").exception("page %s failed", page.url_path)
    st.error(t("app.error", lang))
