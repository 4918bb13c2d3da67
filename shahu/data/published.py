"""What a change to a table means for visitors, worked out when it is written and kept in the log:
rows added, changed and removed as visitors see the table (sample rows left out), and the names
of the reported rows that came or went. Never who made it or from which file."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from shahu.data.change_plan import key_of, row_texts
from shahu.data.samples import ILLUSTRATIVE
from shahu.data.schemas import TableSpec
from shahu.data.validation import FileProblem, decode, frame_from_rows, read_rows

MAX_NAMES = 20  # names kept per direction in a log line: enough to say what came or went
NAME_COLUMNS = ("name", "title", "label")  # a row's name: the first of these a table has (zh, en)
REPORTED = "reported"
Name = tuple[str, str]  # (zh, en)


@dataclass(frozen=True)
class Published:
    """A change as visitors see it; the names are of reported rows only, at most `MAX_NAMES`."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    names_added: tuple[Name, ...] = ()
    names_removed: tuple[Name, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def log_fields(self) -> dict[str, object]:
        """The fields a log line keeps (`history` reads them back)."""
        return {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "names_added": [list(n) for n in self.names_added],
            "names_removed": [list(n) for n in self.names_removed],
        }


def rows_of(spec: TableSpec, raw: bytes | None) -> list[dict[str, str]]:
    """A file's rows as normalised text (an invalid file read leniently; none if unreadable)."""
    if raw is None:
        return []
    try:
        header, rows = read_rows(decode(raw))
    except FileProblem:
        return []
    frame, _ = frame_from_rows(spec, header, rows)
    if frame is not None:
        return row_texts(spec, frame)
    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
    return [dict(zip(names, [c.strip() for c in cells], strict=False)) for _, cells in rows]


def _name(spec: TableSpec, row: dict[str, str]) -> Name | None:
    for base in NAME_COLUMNS:
        if f"{base}_zh" in spec.columns:
            zh = row.get(f"{base}_zh", "")
            return (zh, row.get(f"{base}_en", "") or zh) if zh else None
    return None


def _names(spec: TableSpec, rows: Sequence[dict[str, str]]) -> tuple[Name, ...]:
    found = (_name(spec, r) for r in rows if r.get("provenance") == REPORTED)
    return tuple(dict.fromkeys(n for n in found if n))[:MAX_NAMES]


def published(
    spec: TableSpec, before: Sequence[dict[str, str]], after: Sequence[dict[str, str]]
) -> Published:
    """Compare the rows visitors saw before with those they see after (by key)."""
    old = {key_of(spec, r): r for r in before if r.get("provenance") != ILLUSTRATIVE}
    new = {key_of(spec, r): r for r in after if r.get("provenance") != ILLUSTRATIVE}
    came = [row for key, row in new.items() if key not in old]
    went = [row for key, row in old.items() if key not in new]
    changed = sum(
        1
        for key, row in new.items()
        if key in old and any(old[key].get(c, "") != row.get(c, "") for c in spec.columns)
    )
    return Published(len(came), changed, len(went), _names(spec, came), _names(spec, went))


def change_of(spec: TableSpec, old: bytes | None, new: bytes) -> Published:
    """`published` between two versions of a table's file."""
    return published(spec, rows_of(spec, old), rows_of(spec, new))
