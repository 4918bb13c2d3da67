"""数据管理 / Data: staff replace a table safely — validate, preview, confirm, back up, restore."""

from functools import partial

import streamlit as st

from shahu import cache, importer
from shahu.formatting import md
from shahu.i18n import t
from shahu.paths import data_dir
from shahu.schemas import TABLES

lang = cache.lang()
ds = cache.dataset()
folder = data_dir()


def show(frame) -> None:
    """A table shown in full, wrapped (also on a phone); cell text is escaped, never markup."""
    st.table(frame.map(md), hide_index=True)


st.title(t("staff.title", lang))
st.caption(t("staff.intro", lang))
if ds.problems:
    st.error(t("staff.disk_problems", lang, n=len(ds.problems)), icon=":material/warning:")
    show(importer.problem_table(ds.problems, lang))
who = cache.staff_panel(lang)
if flash := cache.staff_flash():
    (st.success if flash[0] else st.error)(flash[1], icon=":material/info:")
    if flash[2]:
        show(importer.problem_table(flash[2], lang, with_file=False))

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
round_ = cache.staff_round()
upload = cache.file_uploader(
    t("staff.upload", lang),
    lang,
    type=["csv", "xlsx"],
    help=t("staff.upload_help", lang),
    key=f"staff_upload_{table}_{round_}",
)

if upload is not None:
    raw = upload.getvalue()
    plan = importer.prepare(folder, table, upload.name, raw)
    if not plan.ok:
        st.error(t("staff.problems", lang, n=len(plan.problems)), icon=":material/block:")
        show(importer.problem_table(plan.problems, lang, with_file=False))
    elif plan.unchanged:
        st.info(importer.Outcome("unchanged", plan).message(lang), icon=":material/info:")
    else:
        d, sure = plan.diff, True
        st.subheader(t("staff.preview", lang))
        st.markdown(
            t(
                "staff.summary",
                lang,
                before=d.rows_before,
                after=d.rows_after,
                added=len(d.added),
                removed=len(d.removed),
                changed=len(d.changed),
            )
        )
        show(importer.change_table(d, lang))
        if plan.dropped_columns:
            st.warning(t("staff.dropped_columns", lang, n=len(plan.dropped_columns)))
            st.text(", ".join(plan.dropped_columns))
        if plan.needs_confirmation:
            st.warning(importer.Outcome("confirm", plan).message(lang), icon=":material/warning:")
            sure = st.checkbox(t("staff.drop_confirm", lang), key=f"staff_drop_{table}_{round_}")
        if who is None:
            st.caption(t("staff.sign_in_to_write", lang))
        st.button(
            t("staff.confirm", lang),
            type="primary",
            disabled=who is None or not sure,
            on_click=cache.staff_write,
            args=(importer.import_upload, lang, folder, table, upload.name, raw),
            icon=":material/published_with_changes:",
            kwargs={"confirm_drop": sure, "expected_base": plan.base},
        )

with st.expander(t("staff.history", lang), icon=":material/history:"):
    entries = importer.history(folder, table)
    versions = {e.backup: e for e in entries if e.restorable}
    if not entries:
        st.caption(t("staff.no_history", lang))
    else:
        st.dataframe(importer.history_table(entries, lang), hide_index=True, width="stretch")
    if versions:
        pick = st.selectbox(
            t("staff.restore_pick", lang),
            list(versions),
            key=f"staff_pick_{table}",
            format_func=lambda b: importer.entry_label(versions[b], lang),
        )
        st.button(
            t("staff.restore", lang),
            disabled=who is None,
            help=t("staff.restore_help", lang),
            icon=":material/restore:",
            on_click=cache.staff_write,
            args=(importer.restore, lang, folder, table, pick),
        )
