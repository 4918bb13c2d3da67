"""“数据更新 / Data updates”: each published change to the data, newest first, from the import log,
as visitors may read it: the date, the table, rows added, changed and removed, and the reported
rows that came or went. Never an account, a file name or a sample row; a restore says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shahu.content.markup import md
from shahu.content.print_footer import data_as_of
from shahu.core.formatting import date_label
from shahu.core.i18n import t
from shahu.data.dataset import Dataset
from shahu.data.history import ACTIONS, BEIJING, Entry, history
from shahu.data.published import Published
from shahu.data.schemas import TABLES

MAX_SHOWN = 100  # the newest this many; the page says when there are more


@dataclass(frozen=True)
class Update:
    """One published change: `restored_from` is when the version a restore put back was replaced
    (None: not known); `undone`, a later restore took this change back."""

    when: dt.datetime
    table: str
    action: str  # import or restore
    published: Published | None  # None: logged before counts were (“details not recorded”)
    restored_from: dt.datetime | None = None
    undone: bool = False


def _undone(entries: Sequence[Entry]) -> set[int]:
    """Positions (in `entries`, oldest first) of the changes a later restore took back. A restore
    of the version before change C takes back C and everything in effect after it; a restore
    that takes back an earlier restore brings back what that one had taken."""
    effect: list[int] = []  # the changes in effect, oldest first
    took: dict[int, list[int]] = {}
    for i, entry in enumerate(entries):
        if entry.action == "restore":
            at = next(
                (k for k, j in enumerate(effect) if entries[j].backup == entry.restored), None
            )
            if at is not None:
                taken, effect = effect[at:], effect[:at]
                took[i] = taken
                effect += took.get(taken[0], [])
        effect.append(i)
    return set(range(len(entries))) - set(effect)


def table_updates(table: str, entries: Iterable[Entry]) -> list[Update]:
    """One table's logged changes that visitors could see, oldest first."""
    logged = sorted((e for e in entries if e.action in ACTIONS), key=lambda e: e.when)
    undone = _undone(logged)
    made = {e.backup: e.when for e in logged if e.backup}  # a backup: the version a change replaced
    return [
        Update(
            e.when,
            table,
            e.action,
            e.published,
            made.get(e.restored) if e.action == "restore" else None,
            i in undone,
        )
        for i, e in enumerate(logged)
        if e.published is None or not e.published.empty
    ]


def updates(data_dir: Path | None) -> list[Update]:
    """Every table's published changes, newest first."""
    if data_dir is None:
        return []
    found = [u for name in TABLES for u in table_updates(name, history(data_dir, name))]
    return sorted(found, key=lambda u: u.when, reverse=True)


def day(when: dt.datetime, lang: str) -> str:
    """The date of a change as staff and visitors in China read it (Beijing time)."""
    return date_label(when.astimezone(BEIJING).date().isoformat(), lang)


def _names(names: Sequence[tuple[str, str]], lang: str) -> str:
    return t("updates.list_sep", lang).join(md(en if lang == "en" else zh) for zh, en in names)


def describe(update: Update, lang: str) -> str:
    """One update as a markdown list item (data text escaped)."""
    head = f"**{day(update.when, lang)} · {t(f'staff.table.{update.table}', lang)}**"
    lines = []
    if update.action == "restore":
        lines.append(
            t("updates.restored", lang, date=day(update.restored_from, lang))
            if update.restored_from
            else t("updates.restored_earlier", lang)
        )
    p = update.published
    if p is None:
        lines.append(t("updates.no_details", lang))
    else:
        lines.append(t("updates.counts", lang, added=p.added, changed=p.changed, removed=p.removed))
        if p.names_added:
            lines.append(t("updates.came", lang, names=_names(p.names_added, lang)))
        if p.names_removed:
            lines.append(t("updates.went", lang, names=_names(p.names_removed, lang)))
    if update.undone:
        lines.append(t("updates.undone", lang))
    return "\n".join([f"- {head}", *(f"  {line}" for line in lines)]).replace("\n", "  \n")


@dataclass(frozen=True)
class Updates:
    items: str  # a markdown list, newest first; "" when nothing has been published
    more: int  # changes older than the ones listed
    footer: str  # the line every page ends with: when the data last changed


def page(ds: Dataset, lang: str) -> Updates:
    """The data updates page and the footer, from the folder `ds` was read from."""
    found = updates(ds.folder)
    shown = found[:MAX_SHOWN]
    if found:
        footer = t("updates.footer", lang, date=day(found[0].when, lang))
    else:
        as_of = data_as_of(ds)
        undisclosed = t("fmt.undisclosed", lang)
        footer = t(
            "updates.footer_none", lang, as_of=date_label(as_of, lang) if as_of else undisclosed
        )
    return Updates("\n".join(describe(u, lang) for u in shown), len(found) - len(shown), footer)
