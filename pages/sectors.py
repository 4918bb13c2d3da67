"""三大领域 / Sectors: 碳金融, 碳技术, 碳实业 side by side, as far as each is known."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.formatting import cny_100m, md
from shahu.i18n import t
from shahu.labels import names_by_id
from shahu.schemas import Building, Project
from shahu.tables import institutions_in
from shahu.ui import blocks, state

lang = state.lang()
ds = state.dataset()
projects = ds["projects"]
names = names_by_id(ds["buildings"], Building.building_id, lang)


def bullets(lines) -> str:
    """Escaped data lines as a markdown list, or “none”."""
    return "\n".join(f"- {md(line)}" for line in lines) or t("card.none", lang)


st.title(t("sectors.title", lang))
st.caption(t("sectors.lede", lang))
views = aggregates.sector_views(projects, lang)
for col, view in zip(st.columns(3), views, strict=True):
    mine = projects[projects[Project.sector] == view.sector]
    with col.container(border=True):
        st.subheader(t(f"sector.{view.sector}", lang))
        st.markdown(t(f"sectors.{view.sector}.covers", lang))
        st.metric(t("truth.named_metric", lang), len(view.named))
        d = view.disclosure
        if d.disclosed:
            suffix = t("truth.metric_suffix", lang) if view.samples else ""
            st.metric(
                t("truth.disclosed_total", lang) + suffix,
                cny_100m(d.total, lang),
                help=aggregates.disclosure_text(d, lang),
            )
        else:
            st.caption(t("truth.amount_undisclosed", lang))
        st.markdown(f"**{t('sectors.named', lang)}**")
        if view.named:
            st.markdown(bullets(view.named))
        elif view.article:
            quote = f"{t('truth.article_label', lang)}: “{md(view.article)}”"
            st.markdown(f"{quote}  \n*{t('truth.no_names_yet', lang)}*")
        else:
            st.markdown(t("card.none", lang))
        if view.samples:
            st.markdown(f"**{t('truth.sample_list', lang)}**")
            st.markdown(bullets(view.samples))
        st.markdown(f"**{t('sectors.institutions', lang)}**")
        st.markdown(bullets(institutions_in(ds["institutions"], view.sector, lang)))
        st.markdown(f"**{t('sectors.buildings', lang)}**")
        st.markdown(bullets(sorted({names[b] for b in mine[Project.building_id] if b in names})))

left, right = st.columns([3, 2])
blocks.chart(left, cache.table_chart(charts.sector_counts, ds, "projects", lang), lang)
with right:
    st.subheader(t("sectors.path_title", lang))
    st.markdown(t("sectors.path", lang))
    st.subheader(t("sectors.model_title", lang))
    st.markdown(t("sectors.model", lang))
st.info(t("app.provenance_note", lang))
