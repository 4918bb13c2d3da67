"""The staff's refresh panels on the data page: problems, the preview of a change, the history,
and the tables they show (text, never markup)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from shahu.content.markup import md
from shahu.core.i18n import t
from shahu.data.change_plan import Diff, Plan, prepare
from shahu.data.dataset import Dataset, problems_notice
from shahu.data.history import BEIJING, Entry, restore, restore_plan
from shahu.data.history import history as read_history
from shahu.data.schemas import TABLES
from shahu.data.store import Outcome, import_upload
from shahu.data.templates import template_csv, template_xlsx
from shahu.data.validation import Problem, count_problems
from shahu.ui import staff


def show(frame: pd.DataFrame) -> None:
    """A table shown in full, wrapped (also on a phone); cell text is escaped, never markup."""
    st.table(frame.map(md), hide_index=True)


NAMES = ("name", "title", "label")  # a row's name in a preview (an event's is its title)


def _label(row: dict[str, str], lang: str) -> str:
    for column in [f"{base}_{lang}" for base in NAMES] + [f"{base}_zh" for base in NAMES]:
        if row.get(column):
            return row[column]
    return ""


def problem_table(problems: Sequence[Problem], lang: str, with_file: bool = True) -> pd.DataFrame:
    """One row per problem: (file,) line as Excel numbers it, column, value, what to do."""
    table = pd.DataFrame(
        {
            t("staff.col.file", lang): [p.file for p in problems],
            t("staff.col.line", lang): [str(p.line) if p.line else "" for p in problems],
            t("staff.col.column", lang): [p.column or "" for p in problems],
            t("staff.col.value", lang): [p.value or "" for p in problems],
            t("staff.col.todo", lang): [p.message(lang) for p in problems],
        }
    )
    return table if with_file else table.iloc[:, 1:]


def change_table(diff: Diff, lang: str) -> pd.DataFrame:
    """One row per added or removed row and per changed cell."""
    rows = [(t("staff.change.added", lang), k, "", "", _label(r, lang)) for k, r in diff.added]
    rows += [(t("staff.change.removed", lang), k, "", _label(r, lang), "") for k, r in diff.removed]
    rows += [
        (t("staff.change.changed", lang), k, c.column, c.before, c.after)
        for k, cells in diff.changed
        for c in cells
    ]
    columns = [t(f"staff.col.{c}", lang) for c in ("change", "key", "column", "before", "after")]
    return pd.DataFrame(rows, columns=columns)


def history_table(entries: Sequence[Entry], lang: str) -> pd.DataFrame:
    """Who changed the table when, and how many rows it had before and after."""
    return pd.DataFrame(
        {
            t("staff.col.when", lang): [
                e.when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") for e in entries
            ],
            t("staff.col.who", lang): [e.who for e in entries],
            t("staff.col.action", lang): [
                t(f"staff.action.{e.action or 'unknown'}", lang) for e in entries
            ],
            t("staff.col.rows", lang): [
                f"{'?' if e.rows_before is None else e.rows_before} → "
                f"{'?' if e.rows_after is None else e.rows_after}"
                for e in entries
            ],
            t("staff.col.backup", lang): [e.backup or "—" for e in entries],
        }
    )


def entry_label(entry: Entry, lang: str) -> str:
    """How a restorable version is named in the picker."""
    when = entry.when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    rows = "?" if entry.rows_before is None else entry.rows_before
    return t("staff.restore_option", lang, when=when, who=entry.who, rows=rows)


def problems(found: list, lang: str, with_file: bool = True) -> None:
    show(problem_table(found, lang, with_file=with_file))


def preview(
    plan: Plan, who: str | None, lang: str, args: tuple, key: str, write=import_upload
) -> None:
    """What an upload (or a restore: `write`) would change, and the button that writes it, behind
    the same second confirmation either way (for a signed-in staff member)."""
    if not plan.ok:
        n = count_problems(plan.problems)  # the listed ones plus what "… and N more" stands for
        st.error(t("staff.problems", lang, n=n), icon=":material/block:")
        problems(plan.problems, lang, with_file=False)
        return
    if plan.unchanged:
        st.info(Outcome("unchanged", plan).message(lang), icon=":material/info:")
        return
    d, sure = plan.diff, True
    st.subheader(t("staff.preview", lang))
    counts = {"added": len(d.added), "removed": len(d.removed), "changed": len(d.changed)}
    st.markdown(t("staff.summary", lang, before=d.rows_before, after=d.rows_after, **counts))
    show(change_table(d, lang))
    if plan.dropped_columns:
        st.warning(t("staff.dropped_columns", lang, n=len(plan.dropped_columns)))
        st.text(", ".join(plan.dropped_columns))
    if plan.removed_columns:
        st.text(", ".join(plan.removed_columns))
    if plan.needs_confirmation:
        st.warning(Outcome("confirm", plan).message(lang), icon=":material/warning:")
        what = "staff.columns_confirm" if plan.removed_columns else "staff.drop_confirm"
        sure = st.checkbox(t(what, lang), key=f"staff_drop_{key}")
    if who is None:
        st.caption(t("staff.sign_in_to_write", lang))
    restoring = write is restore
    st.button(
        t("staff.restore" if restoring else "staff.confirm", lang),
        type="primary",
        disabled=who is None or not sure,
        help=t("staff.restore_help", lang) if restoring else None,
        on_click=staff.write,
        args=(write, lang, *args),
        icon=":material/restore:" if restoring else ":material/published_with_changes:",
        kwargs={"confirm_drop": sure, "expected_base": plan.base},
    )


def history(folder: Path, table: str, who: str | None, lang: str) -> None:
    """The table's backups, and a one-step restore of any of them."""
    with st.expander(t("staff.history", lang), icon=":material/history:"):
        entries = read_history(folder, table)
        versions = {e.backup: e for e in entries if e.restorable}
        if not entries:
            st.caption(t("staff.no_history", lang))
        else:
            st.dataframe(history_table(entries, lang), hide_index=True, width="stretch")
        if not versions:
            return
        pick = st.selectbox(
            t("staff.restore_pick", lang),
            list(versions),
            key=f"staff_pick_{table}",
            format_func=lambda b: entry_label(versions[b], lang),
        )
        plan = restore_plan(folder, table, pick)  # previewed and confirmed like an upload
        if isinstance(plan, Plan):
            preview(plan, who, lang, (folder, table, pick), f"restore_{table}_{pick}", restore)
        elif plan.status == "invalid":
            problems(plan.plan.problems, lang, with_file=False)
        else:
            st.info(plan.message(lang), icon=":material/info:")


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
        partial(template_csv, folder, table),
        TABLES[table].filename,
        "text/csv",
        icon=":material/download:",
        width="stretch",
        on_click="ignore",
    )
    right.download_button(
        t("staff.template_xlsx", lang),
        partial(template_xlsx, folder, table),
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
        plan = prepare(folder, table, upload.name, raw)
        preview(plan, who, lang, (folder, table, upload.name, raw), key)
    history(folder, table, who, lang)
