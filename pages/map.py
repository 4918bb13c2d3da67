"""地图 / Map: the belt, its buildings, projects and institutions; click a building for its card."""

import streamlit as st

from shahu.content import views
from shahu.content.building_card import building_card
from shahu.core.i18n import t
from shahu.map.basemaps import BASEMAPS
from shahu.map.download import map_html
from shahu.map.folium_map import build_map
from shahu.map.points import clicked_building
from shahu.ui import cache, filters, mapview, state, tour
from shahu.ui.blocks import building_panel, heading

lang = state.lang()
ds = state.dataset()
chosen = state.filters(ds)
view = ds.derived(views.map_page, lang, chosen)

presenting = tour.presenting()  # names enlarged, the notes left to the presenter
notes = (
    () if presenting else (view.counts, t("map.schematic_note", lang), t("filters.map_note", lang))
)
heading(t("map.title", lang), *notes)
filters.banner(ds, lang, hint=False)  # the notes say where the filters are
map_col, card_col = st.columns([3, 1])
basemap = card_col.selectbox(
    t("map.basemap", lang),
    BASEMAPS,
    format_func=lambda b: t(f"map.basemap.{b}", lang),
    key="basemap",
    help=t("map.basemap_help", lang),
)
selected = st.session_state.get("building")
stage = map_col.container(key="stage_map") if presenting else map_col  # present.js: fill the window
with stage:
    clicked = mapview.show(
        lambda: build_map(
            ds,
            lang,
            basemap=basemap,
            rows=cache.map_rows(ds, lang, chosen, basemap, selected),
            present=presenting,
        ),
        (ds.stamp, lang, basemap, chosen, selected, presenting),
        key="belt_map",
        height=620,
        returned_objects=("last_object_clicked", "last_object_clicked_tooltip"),
    )
    spot = (clicked or {}).get("last_object_clicked")
    if spot and spot != st.session_state.get("_map_click"):
        st.session_state["_map_click"] = spot
        hit = clicked_building(ds, clicked, lang, basemap)  # a cluster zooms in instead
        if hit and hit != st.session_state.get("building"):
            st.session_state["building"] = hit
            st.rerun()
if not presenting:
    map_col.download_button(
        t("takeaway.map", lang),
        lambda: map_html(build_map(ds, lang, rows=cache.map_rows(ds, lang, chosen))),
        "shahu-belt-map.html",
        "text/html",
        icon=":material/download:",
        help=t("takeaway.map_help", lang),
        on_click="ignore",  # nothing on the page changes; a rerun would race the download
    )

with card_col:
    names = view.names
    choice = st.selectbox(
        t("map.pick_building", lang),
        list(names),
        index=None,
        format_func=names.get,
        key="building",
        placeholder=t("map.pick_placeholder", lang),
    )
    building_panel(building_card(ds, choice, lang) if choice else None, lang)
