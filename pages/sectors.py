"""三大领域 / Sectors: 碳金融, 碳技术, 碳实业 side by side, and how they fit together."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.cards import name_col
from shahu.formatting import cny_100m
from shahu.i18n import t
from shahu.schemas import SECTORS, Building, Project
from shahu.tables import institutions_in

lang = cache.lang()
ds = cache.dataset()
projects = ds["projects"]
table = aggregates.by_sector(projects).set_index("sector")
names = dict(
    zip(ds["buildings"][Building.building_id], ds["buildings"][name_col(lang)], strict=True)
)

st.title(t("sectors.title", lang))
st.caption(t("sectors.lede", lang))
for col, sector in zip(st.columns(3), SECTORS, strict=True):
    row = table.loc[sector]
    mine = projects[projects[Project.sector] == sector]
    with col.container(border=True):
        st.subheader(t(f"sector.{sector}", lang))
        st.markdown(t(f"sectors.{sector}.covers", lang))
        st.metric(
            t("sectors.projects", lang),
            t("sectors.share", lang, n=int(row["projects"]), share=f"{row['project_share']:.0%}"),
        )
        st.metric(
            t("sectors.amount", lang),
            cny_100m(row["total"], lang),
            help=t("sectors.amount_help", lang, n=int(row["projects"] - row["disclosed"])),
        )
        st.markdown(f"**{t('sectors.named', lang)}**")
        st.text("\n".join(mine[name_col(lang)]) or t("card.none", lang))
        st.markdown(f"**{t('sectors.institutions', lang)}**")
        st.text(
            "\n".join(institutions_in(ds["institutions"], sector, lang)) or t("card.none", lang)
        )
        here = sorted({names[b] for b in mine[Project.building_id] if b in names})
        st.markdown(f"**{t('sectors.buildings', lang)}**")
        st.text("\n".join(here) or t("card.none", lang))

left, right = st.columns([3, 2])
left.plotly_chart(charts.sunburst(projects, lang), use_container_width=True)
with right:
    st.subheader(t("sectors.path_title", lang))
    st.markdown(t("sectors.path", lang))
    st.subheader(t("sectors.model_title", lang))
    st.markdown(t("sectors.model", lang))
st.info(t("app.provenance_note", lang))
