"""数据管理 / Data: staff replace a table safely — validate, preview, confirm, back up, restore."""

from functools import partial

import streamlit as st

from shahu import importer, samples
from shahu.data import problems_notice
from shahu.i18n import t
from shahu.schemas import TABLES
from shahu.ui import refresh, staff, state

lang = state.lang()
ds = state.full_dataset()  # sample rows included: staff replace them here
folder = ds.folder

st.title(t("staff.title", lang))
st.caption(t("staff.intro", lang))
st.info(samples.remaining_text(ds, lang), icon=":material/science:")
if ds.problems:
    st.error(problems_notice(ds, lang, staff=True), icon=":material/warning:")
    refresh.problems(ds.problems, lang)
who = staff.panel(lang)
if flash := staff.flash():
    (st.success if flash[0] else st.error)(flash[1], icon=":material/info:")
    if flash[2]:
        refresh.problems(flash[2], lang, with_file=False)

table = st.selectbox(
    t("staff.table", lang),
    list(TABLES),
    key="staff_table",
    format_func=lambda n: f"{t(f'staff.table.{n}', lang)} · {TABLES[n].filename}",
)
left, right = st.columns(2)
left.download_button(
    t("staff.template_csv", lang),
    partial(importer.template_csv, folder, table),
    TABLES[table].filename,
    "text/csv",
    icon=":material/download:",
    width="stretch",
    on_click="ignore",
)
right.download_button(
    t("staff.template_xlsx", lang),
    partial(importer.template_xlsx, folder, table),
    f"{table}.xlsx",
    icon=":material/table_view:",
    width="stretch",
    on_click="ignore",
)
key = f"{table}_{staff.round_()}"
upload = staff.file_uploader(
    t("staff.upload", lang),
    lang,
    type=["csv", "xlsx"],
    help=t("staff.upload_help", lang),
    key=f"staff_upload_{key}",
)
if upload is not None:
    raw = upload.getvalue()
    plan = importer.prepare(folder, table, upload.name, raw)
    refresh.preview(plan, who, lang, (folder, table, upload.name, raw), key)
refresh.history(folder, table, who, lang)
