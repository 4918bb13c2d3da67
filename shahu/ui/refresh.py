"""The staff's refresh panels on the data page: problems, the preview of a change, the history."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from shahu.core.formatting import md
from shahu.core.i18n import t
from shahu.data import importer
from shahu.data.dataset import Dataset, problems_notice
from shahu.data.schemas import TABLES
from shahu.data.validation import count_problems
from shahu.ui import staff


def show(frame: pd.DataFrame) -> None:
    """A table shown in full, wrapped (also on a phone); cell text is escaped, never markup."""
    st.table(frame.map(md), hide_index=True)


def problems(found: list, lang: str, with_file: bool = True) -> None:
    show(importer.problem_table(found, lang, with_file=with_file))


def preview(plan: importer.Plan, who: str | None, lang: str, args: tuple, key: str) -> None:
    """What an upload would change, and the button that writes it (for a signed-in staff member)."""
    if not plan.ok:
        n = count_problems(plan.problems)  # the listed ones plus what "… and N more" stands for
        st.error(t("staff.problems", lang, n=n), icon=":material/block:")
        problems(plan.problems, lang, with_file=False)
        return
    if plan.unchanged:
        st.info(importer.Outcome("unchanged", plan).message(lang), icon=":material/info:")
        return
    d, sure = plan.diff, True
    st.subheader(t("staff.preview", lang))
    counts = {"added": len(d.added), "removed": len(d.removed), "changed": len(d.changed)}
    st.markdown(t("staff.summary", lang, before=d.rows_before, after=d.rows_after, **counts))
    show(importer.change_table(d, lang))
    if plan.dropped_columns:
        st.warning(t("staff.dropped_columns", lang, n=len(plan.dropped_columns)))
        st.text(", ".join(plan.dropped_columns))
    if plan.needs_confirmation:
        st.warning(importer.Outcome("confirm", plan).message(lang), icon=":material/warning:")
        sure = st.checkbox(t("staff.drop_confirm", lang), key=f"staff_drop_{key}")
    if who is None:
        st.caption(t("staff.sign_in_to_write", lang))
    st.button(
        t("staff.confirm", lang),
        type="primary",
        disabled=who is None or not sure,
        on_click=staff.write,
        args=(importer.import_upload, lang, *args),
        icon=":material/published_with_changes:",
        kwargs={"confirm_drop": sure, "expected_base": plan.base},
    )


def history(folder: Path, table: str, who: str | None, lang: str) -> None:
    """The table's backups, and a one-step restore of any of them."""
    with st.expander(t("staff.history", lang), icon=":material/history:"):
        entries = importer.history(folder, table)
        versions = {e.backup: e for e in entries if e.restorable}
        if not entries:
            st.caption(t("staff.no_history", lang))
        else:
            st.dataframe(importer.history_table(entries, lang), hide_index=True, width="stretch")
        if not versions:
            return
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
            on_click=staff.write,
            args=(importer.restore, lang, folder, table, pick),
        )


def workspace(ds: Dataset, who: str, lang: str) -> None:
    """The signed-in staff member's tools: problems on disk, templates, upload, preview, history."""
    folder = ds.folder
    if ds.problems:
        st.error(problems_notice(ds, lang, staff=True), icon=":material/warning:")
        problems(ds.problems, lang)
    if flash := staff.flash():
        (st.success if flash[0] else st.error)(flash[1], icon=":material/info:")
        if flash[2]:
            problems(flash[2], lang, with_file=False)
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
    if upload is not None and staff.who():  # parsed only for a session still signed in
        raw = upload.getvalue()
        plan = importer.prepare(folder, table, upload.name, raw)
        preview(plan, who, lang, (folder, table, upload.name, raw), key)
    history(folder, table, who, lang)
