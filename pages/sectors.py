"""三大领域 / Sectors: 碳金融, 碳技术, 碳实业 side by side, as far as each is known.

Two parts as tabs (`ui.sections`): the sector summaries with the path and the model, then the named
projects by sector as a chart."""

import streamlit as st

from shahu.content import charts, events, markup, views
from shahu.core.i18n import t
from shahu.ui import blocks, cache, sections, state

lang = state.lang()
ds = state.dataset()


def summaries() -> None:
    grid = st.container(key="sectors_cards3")  # three side by side, one on a phone (app.css)
    for c in ds.derived(views.sectors, lang):  # one element a card
        grid.html(markup.sector_summary(c.heading, c.covers, c.figures, c.sector, c.sections))
    path, model = t("sectors.path_title", lang), t("sectors.model_title", lang)  # the tour's words
    st.markdown(
        f"### {path}\n\n{t('sectors.path', lang)}\n\n### {model}\n\n{t('sectors.model', lang)}"
    )


def projects() -> None:
    chart = cache.table_chart(charts.sector_counts, ds, "projects", lang)
    blocks.chart(st, chart, lang, "sectors")


blocks.heading(t("sectors.title", lang), ds.derived(events.sectors_lede, lang))
sections.draw("sectors", lang, {"sectors": summaries, "projects": projects})
st.info(t("app.provenance_note", lang))
