"""数据管理 / Data: staff replace a table safely — validate, preview, confirm, back up, restore.
Everything past the sign-in is for a signed-in staff member only: a visitor cannot make the server
parse a file or read who changed what."""

import streamlit as st

from shahu.core.i18n import t
from shahu.data import samples
from shahu.ui import refresh, staff, state
from shahu.ui.blocks import heading

lang = state.lang()

heading(t("staff.title", lang), t("staff.intro", lang))
if who := staff.panel(lang):
    ds = state.full_dataset()  # sample rows included: staff replace them here
    st.info(samples.remaining_text(ds, lang), icon=":material/science:")
    refresh.workspace(ds, who, lang)
