"""Entry point: page config, navigation over pages/, and the one shared sidebar."""

from __future__ import annotations

import logging

import streamlit as st

from shahu import cache
from shahu.i18n import LANGS, t
from shahu.paths import STATIC_DIR

STYLE_PATH = STATIC_DIR / "app.css"
PRESENT_STYLE_PATH = STATIC_DIR / "present.css"
FILTERED_PAGES = {"signings", "map"}  # pages that list projects share the sidebar filters

st.set_page_config(
    page_title="环沙湖双碳经济带 · Sha Lake Dual-Carbon Belt",
    page_icon=str(STATIC_DIR / "favicon.png"),
    layout="wide",
)
cache.ensure_assets()
st.html(STYLE_PATH)
lang = cache.lang()

NAV = (  # file, catalogue key, icon, URL path (None: the default page at "/")
    ("pages/overview.py", "nav.overview", ":material/dashboard:", None),
    ("pages/map.py", "nav.map", ":material/map:", "map"),
    ("pages/signings.py", "nav.signings", ":material/handshake:", "signings"),
    ("pages/sectors.py", "nav.sectors", ":material/donut_large:", "sectors"),
    ("pages/finance.py", "nav.finance", ":material/savings:", "finance"),
    ("pages/data.py", "nav.data", ":material/upload_file:", "data"),
)
PAGES = [
    st.Page(path, title=t(key, lang), icon=icon, url_path=url, default=url is None)
    for path, key, icon, url in NAV
]
page = st.navigation(PAGES)
ds = cache.dataset()
cache.seed_view(ds, page.url_path)
cache.sync_url(ds, page.url_path)

if cache.presenting():
    st.html(PRESENT_STYLE_PATH)
    cache.tour_bar(lang)

try:
    page.run()
except Exception:
    logging.getLogger("shahu").exception("page %s failed", page.url_path)
    st.error(t("app.error", lang))

# The sidebar comes after the page: its widgets need ~50 small scripts on a first visit, and
# the page's own content (above all the map) should be in the browser before they are asked for.
with st.sidebar:
    st.markdown(f"**{t('app.title', lang)}**  \n{t('app.subtitle', lang)}")
    st.segmented_control(
        t("app.language", lang),
        LANGS,
        format_func=lambda code: t(f"lang.{code}", code),
        key=cache.LANG_KEY,
        selection_mode="single",
    )
    if page.url_path in FILTERED_PAGES:
        cache.filter_controls(ds, lang)
    n = len(ds.problems) + len(ds.geo_problems)
    if n:
        st.warning(t("app.data_problems", lang, n=n))
    else:
        st.caption(":material/check_circle: " + t("app.data_ok", lang))
    if st.button(
        t("tour.present", lang), icon=":material/slideshow:", help=t("tour.present_help", lang)
    ):
        cache.start_tour(lang)
    with st.expander(t("share.title", lang), icon=":material/link:"):
        st.caption(t("share.help", lang))
        cache.share_field(lang)
