"""三大领域 / Sectors: 碳金融, 碳技术, 碳实业 side by side, and how they fit together."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.formatting import cny_100m, md
from shahu.i18n import t
from shahu.labels import lang_col, names_by_id
from shahu.schemas import SECTORS, Building, Project
from shahu.tables import institutions_in
from shahu.ui import blocks, state

lang = state.lang()
ds = state.dataset()
projects = ds["projects"]
table = aggregates.by_sector(projects).set_index("sector")
names = names_by_id(ds["buildings"], Building.building_id, lang)


def bullets(lines: list[str]) -> str:
    """Escaped data lines as a markdown list, or “none”."""
    return "\n".join(f"- {md(line)}" for line in lines) or t("card.none", lang)


st.title(t("sectors.title", lang))
st.caption(t("sectors.lede", lang))
for col, sector in zip(st.columns(3), SECTORS, strict=True):
    row = table.loc[sector]
    mine = projects[projects[Project.sector] == sector]
    amount = cny_100m(row["total"], lang)
    if row["disclosed"]:
        amount = t("sectors.amount_share", lang, amount=amount, share=f"{row['amount_share']:.0%}")
    with col.container(border=True):
        st.subheader(t(f"sector.{sector}", lang))
        st.markdown(t(f"sectors.{sector}.covers", lang))
        share = f"{row['project_share']:.0%}"
        st.metric(
            t("sectors.projects", lang),
            t("sectors.share", lang, n=int(row["projects"]), share=share),
        )
        st.metric(
            t("sectors.amount", lang),
            amount,
            help=t("sectors.amount_help", lang, n=int(row["projects"] - row["disclosed"])),
        )
        st.markdown(f"**{t('sectors.named', lang)}**")
        st.markdown(bullets(list(mine[lang_col("name", lang)])))
        st.markdown(f"**{t('sectors.institutions', lang)}**")
        st.markdown(bullets(institutions_in(ds["institutions"], sector, lang)))
        st.markdown(f"**{t('sectors.buildings', lang)}**")
        st.markdown(bullets(sorted({names[b] for b in mine[Project.building_id] if b in names})))

left, right = st.columns([3, 2])
blocks.chart(left, cache.table_chart(charts.sunburst, ds, "projects", lang), lang)
with right:
    st.subheader(t("sectors.path_title", lang))
    st.markdown(t("sectors.path", lang))
    st.subheader(t("sectors.model_title", lang))
    st.markdown(t("sectors.model", lang))
st.info(t("app.provenance_note", lang))
