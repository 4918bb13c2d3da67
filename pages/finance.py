"""金融产品 / Finance: the product catalogue, the scale, the institutions, and the citizens' scheme."""

import streamlit as st

from shahu import cache, charts
from shahu.cards import name_col
from shahu.formatting import date_label, md, metric_value
from shahu.i18n import t
from shahu.metrics import headline, value_of
from shahu.schemas import FinanceProduct, Institution

lang = cache.lang()
ds = cache.dataset()
metrics = ds["metrics"]

st.title(t("finance.title", lang))
st.caption(t("finance.lede", lang))
kpis = headline(
    metrics, lang, ("carbon_finance_scale", "carbon_fund_ambition", "green_institutions")
)
for col, kpi in zip(st.columns(len(kpis) or 1), kpis, strict=False):
    col.metric(md(kpi.label), kpi.value, help=md(kpi.help), border=True)

st.subheader(t("finance.products", lang))
products = ds["finance_products"].to_dict("records")
for start in range(0, len(products), 3):
    for col, p in zip(st.columns(3), products[start : start + 3], strict=False):
        with col.container(border=True):
            st.markdown(f"#### {md(p[name_col(lang)])}")
            st.caption(
                f"{t('kind.' + p[FinanceProduct.kind], lang)} · {t('finance.launched', lang)}: "
                f"{date_label(p[FinanceProduct.launched_on], lang)}"
            )
            st.write(
                md(
                    p[
                        FinanceProduct.description_en
                        if lang == "en"
                        else FinanceProduct.description_zh
                    ]
                )
            )
            if p[FinanceProduct.provider]:
                st.caption(f"{t('finance.provider', lang)}: {md(p[FinanceProduct.provider])}")
            scale = p[FinanceProduct.scale_cny_100m]
            if scale == scale:
                st.caption(
                    f"{t('finance.scale', lang)}: {metric_value(scale, 'cny_100m', '', lang)}"
                )
            st.caption(
                f"{t('provenance.' + p[FinanceProduct.provenance], lang)} · {md(p[FinanceProduct.source])}"
            )

left, right = st.columns(2)
with left:
    st.subheader(t("finance.calculator", lang))
    rate = value_of(metrics, "interest_per_kg")
    if rate is None:
        st.warning(t("finance.no_rate", lang))
    else:
        kg = st.number_input(
            t("finance.kg", lang), min_value=0.0, max_value=1e7, value=100.0, step=10.0
        )
        st.metric(t("finance.red_packet", lang), t("finance.yuan", lang, n=f"{kg * rate:,.2f}"))
        st.caption(t("finance.calc_note", lang, rate=f"{rate:g}"))
with right:
    st.plotly_chart(charts.users(metrics, lang), use_container_width=True)

st.subheader(t("finance.institutions", lang))
banks = ds["institutions"][
    ds["institutions"][Institution.category].isin(["bank", "platform", "exchange", "registry"])
]
st.text(
    "\n".join(
        f"{n} · {t('category.' + c, lang)}"
        for n, c in zip(banks[name_col(lang)], banks[Institution.category], strict=True)
    )
)
st.caption(t("finance.specialists_note", lang))
