"""金融产品 / Finance: the product catalogue, the scale, the institutions, and the citizens' scheme.

Three sections (`sitemap`): a link's `?section=` draws its section first (the tour: only it)."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.formatting import md, people_10k
from shahu.i18n import t
from shahu.labels import lang_col
from shahu.metrics import headline, value_of
from shahu.schemas import Metric
from shahu.tables import finance_institutions, product_cards
from shahu.ui import blocks, state, tour
from shahu.ui.blocks import market_panel, metric_row

lang = state.lang()
ds = state.dataset()
metrics = ds["metrics"]


def products() -> None:
    kpis = headline(
        metrics, lang, ("carbon_finance_scale", "carbon_fund_ambition", "green_institutions")
    )
    metric_row(kpis, per_row=3)
    st.caption(t("finance.scale_note", lang))
    st.subheader(t("finance.products", lang))
    blocks.product_grid(product_cards(ds["finance_products"], lang), lang)
    market_panel(ds, lang)  # the market the registry in 碳汇大厦 settles, and Wuhan's figures


def citizens() -> None:
    left, right = st.columns(2)
    with left.container(border=True, key="finance_calculator"):
        st.subheader(t("finance.calculator", lang))
        rate = value_of(metrics, "interest_per_kg")
        if rate is None:
            st.warning(t("finance.no_rate", lang))
        else:
            blocks.calculator(metrics, rate, lang)
    with right.container(border=True):
        st.subheader(t("finance.users_title", lang))
        users = aggregates.series(metrics, "wutan_users")
        before = value_of(metrics, "wutan_users_before")  # “two years earlier”: no date given
        if not users.empty:
            start = None if before is None else people_10k(before, lang)
            st.metric(
                md(users.iloc[-1][lang_col("label", lang)]),
                people_10k(users.iloc[-1][Metric.value], lang),
                delta=start and t("finance.users_delta", lang, start=start),
            )
        blocks.chart(st, cache.table_chart(charts.users, ds, "metrics", lang), lang)


def institutions() -> None:
    st.subheader(t("finance.specialists", lang))
    count = value_of(metrics, "green_institutions")
    if count is not None:
        st.markdown(t("finance.specialists_note", lang, n=int(count), unnamed=int(count) - 1))
    groups = finance_institutions(ds["institutions"], lang)
    titles = {
        "institutions": t("finance.institutions", lang),
        "platforms": t("finance.platforms", lang),
    }
    for col, (key, title) in zip(st.columns(2), titles.items(), strict=True):
        with col.container(key=f"finance_{key}"):
            st.markdown(f"**{title}**")
            st.markdown("\n".join(f"- {line}" for line in groups[key]) or t("card.none", lang))


st.title(t("finance.title", lang))
st.caption(t("finance.lede", lang))
sections = {"products": products, "calculator": citizens, "institutions": institutions}
for name in tour.sections("finance"):
    sections[name]()
