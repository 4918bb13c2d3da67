"""总览 / Overview: the headline figures with their sources, and a small map of the belt."""

import streamlit as st

from shahu.content import views
from shahu.content.downloads import brief_html
from shahu.content.story import story
from shahu.core.i18n import t
from shahu.map.folium_map import build_map
from shahu.ui import cache, mapview, state
from shahu.ui.blocks import heading, metric_row

lang = state.lang()
ds = state.dataset()

view = ds.derived(views.overview, lang)
heading(t("app.title", lang), view.lede)  # the newest reported event (events.csv)
metric_row(view.kpis, "overview", note=view.growth or "")

left, right = st.columns([3, 2])
with left:
    heading(t("overview.map_title", lang), t("map.schematic_note", lang), level=3)
    mapview.show(
        lambda: build_map(ds, lang, compact=True, zoom=13, rows=cache.map_rows(ds, lang)),
        (ds.stamp, lang),
        key="overview_map",
        height=380,
    )
about = ds.derived(story, lang)  # story.csv: the points, in order, with their sources
if about.points:
    right.markdown(f"### {t('overview.story_title', lang)}\n\n{about.points}", help=about.sources)
st.info(t("app.provenance_note", lang))
st.download_button(
    t("takeaway.brief", lang),
    lambda: brief_html(ds, lang),
    f"shahu-brief-{lang}.html",
    "text/html",
    icon=":material/description:",
    help=t("takeaway.brief_help", lang),
    on_click="ignore",
)
