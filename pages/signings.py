"""签约项目 / Signings: the 2025-09-23 event, the filtered table, charts and downloads."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.exports import to_csv_bytes, to_xlsx_bytes
from shahu.formatting import cny_100m, md
from shahu.i18n import t
from shahu.metrics import headline
from shahu.tables import export_table, project_table

lang = cache.lang()
ds = cache.dataset()
projects = cache.filtered_projects(ds)

st.title(t("signings.title", lang))
st.caption(t("signings.event", lang))
reported = {
    k.metric: k for k in headline(ds["metrics"], lang, ("projects_signed", "carbon_investment"))
}
disclosed = aggregates.disclosure(projects)
cols = st.columns(4)
for col, key in zip(cols, ("projects_signed", "carbon_investment"), strict=False):
    if key in reported:
        col.metric(
            md(reported[key].label), reported[key].value, help=md(reported[key].help), border=True
        )
cols[2].metric(
    t("signings.disclosed", lang),
    cny_100m(disclosed.total, lang),
    help=t("signings.disclosed_help", lang, n=disclosed.disclosed, total=disclosed.projects),
    border=True,
)
cols[3].metric(t("signings.undisclosed", lang), disclosed.undisclosed, border=True)
st.caption(t("signings.disclosure_note", lang))

status = aggregates.by_status(ds["projects"])
st.markdown(
    " · ".join(f"{t(f'status.{s}', lang)} **{n}**" for s, n in status.items())
    + "  \n"
    + t("card.provenance", lang)
    + ": "
    + " · ".join(
        f"{t(f'provenance.{p}', lang)} **{n}**"
        for p, n in aggregates.by_provenance(ds["projects"]).items()
    )
)

st.subheader(t("signings.table", lang, n=len(projects), total=len(ds["projects"])))
if projects.empty:
    st.info(t("signings.none", lang))
st.dataframe(
    project_table(projects, ds["buildings"], lang),
    hide_index=True,
    use_container_width=True,
    column_config={
        "name": st.column_config.TextColumn(t("col.name", lang), width="large"),
        "sector": st.column_config.TextColumn(t("col.sector", lang)),
        "company": st.column_config.TextColumn(t("col.company", lang)),
        "amount": st.column_config.TextColumn(
            t("col.amount", lang), help=t("col.amount_help", lang)
        ),
        "signed_on": st.column_config.DateColumn(t("col.signed_on", lang), format="YYYY-MM-DD"),
        "status": st.column_config.TextColumn(t("col.status", lang)),
        "building": st.column_config.LinkColumn(t("col.building", lang), display_text=r"#(.*)$"),
        "provenance": st.column_config.TextColumn(
            t("col.provenance", lang), help=t("app.provenance_note", lang)
        ),
        "source": st.column_config.TextColumn(t("col.source", lang)),
    },
)
download = export_table(projects, lang)
left, right = st.columns(2)
left.download_button(t("signings.csv", lang), to_csv_bytes(download), "shahu-projects.csv", "text/csv",
                     icon=":material/download:", use_container_width=True)  # fmt: skip
right.download_button(t("signings.xlsx", lang), to_xlsx_bytes(download, "projects"), "shahu-projects.xlsx",
                      icon=":material/table_view:", use_container_width=True)  # fmt: skip

if not projects.empty:
    st.plotly_chart(charts.sectors_bar(projects, lang), use_container_width=True)
    left, right = st.columns([3, 2])
    left.plotly_chart(charts.ranked(projects, lang), use_container_width=True)
    right.plotly_chart(charts.over_time(projects, lang), use_container_width=True)
