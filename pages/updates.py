"""数据更新 / Data updates: each published change to the data, newest first, read from the import
log (`content.updates`): no account, file name or sample row; a restore says so."""

import streamlit as st

from shahu.content import updates
from shahu.core.i18n import t
from shahu.ui import state
from shahu.ui.blocks import heading

lang = state.lang()
ds = state.dataset()
view = ds.derived(updates.page, lang)

heading(t("updates.title", lang), t("updates.lede", lang))
st.markdown(view.items or t("updates.none", lang))
if view.more:
    st.caption(t("updates.more", lang, n=view.more))
