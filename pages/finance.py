"""金融产品 / Finance: the scale and the product catalogue, the carbon market and Wuhan's figures,
the citizens' scheme, the institutions; four tabs, only the open one drawn (`ui.sections`)."""

import streamlit as st

from shahu.content import charts, views
from shahu.core.i18n import t
from shahu.ui import blocks, cache, sections, state
from shahu.ui.blocks import heading, market_panel, metric_row

lang = state.lang()
ds = state.dataset()
view = ds.derived(views.finance, lang)


def products() -> None:
    metric_row(view.kpis, "finance", per_row=3)
    st.caption(t("finance.scale_note", lang))
    blocks.product_grid(view.products, lang)


def market() -> None:
    market_panel(ds, view.market, view.market_sources, lang)  # CEA, settled in 碳汇大厦; Wuhan


def citizens() -> None:
    pair = st.container(key="finance_citizens_cards2")  # two cards side by side, one on a phone
    with pair.container(border=True, key="finance_calculator"):
        st.subheader(t("finance.calculator", lang))
        if view.rate is None:
            st.warning(t("finance.no_rate", lang))
        else:
            blocks.calculator(view.rate, view.rate_kpi, lang)
    with pair.container(border=True):
        st.subheader(t("finance.users_title", lang))
        if users := view.users:
            st.metric(users.label, users.value, delta=users.delta)
        blocks.chart(st, cache.table_chart(charts.users, ds, "metrics", lang), lang, "users")


def institutions() -> None:
    st.subheader(t("finance.specialists", lang))
    if view.specialists is not None:
        n = view.specialists
        st.markdown(t("finance.specialists_note", lang, n=n, unnamed=n - 1))
    titles = {
        "institutions": t("finance.institutions", lang),
        "platforms": t("finance.platforms", lang),
    }
    with st.container(key="finance_institutions_cards2"):
        for key, title in titles.items():
            lines = "\n".join(f"- {line}" for line in view.institutions[key])
            st.markdown(f"**{title}**\n\n{lines or t('card.none', lang)}")


heading(t("finance.title", lang), t("finance.lede", lang))
parts = {
    "products": products,
    "market": market,
    "calculator": citizens,
    "institutions": institutions,
}
sections.draw("finance", lang, parts)
