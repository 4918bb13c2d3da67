"""Replacing a table: every refusal changes nothing, a good file is swapped in whole with a backup.

Broken uploads are built from the shipped tables with one thing wrong, and every refusal test
compares the bytes of the whole data folder (backups included) before and after.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from filelock import FileLock

from shahu.core.i18n import LANGS
from shahu.data import change_plan, files, store, templates
from shahu.data.dataset import fingerprint
from shahu.data.history import history, restore, restore_plan
from shahu.data.schemas import TABLES
from shahu.data.upload import MAX_UPLOAD_MB, OLE_MAGIC
from shahu.ui.refresh import history_table
from tests.helpers import as_csv, edited, rows, snapshot, text

LOCK = store.LOCK_NAME


def workbook(header: list[str], records: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for record in records:
        sheet.append(record)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ── refusals: one case per guard of the issue, each leaving the folder byte-identical ─────


def _drop_column(folder: Path, table: str, column: str) -> str:
    header, records = rows(folder, table)
    return as_csv([c for c in header if c != column], records)


def _rename_header(folder: Path, table: str, old: str, new: str) -> str:
    header, records = rows(folder, table)
    body = as_csv(header, records).split("\n", 1)[1]
    return ",".join(new if c == old else c for c in header) + "\n" + body


def _swap(folder: Path) -> str:
    header, records = rows(folder, "buildings")
    records[0]["lat"], records[0]["lon"] = records[0]["lon"], records[0]["lat"]
    return as_csv(header, records)


def _remove(folder: Path, table: str, key: str) -> str:
    header, records = rows(folder, table)
    return as_csv(header, [r for r in records if r[TABLES[table].key[0]] != key])


def _duplicate(folder: Path) -> str:
    header, records = rows(folder, "projects")
    records[1]["project_id"] = records[0]["project_id"]
    return as_csv(header, records)


REFUSALS = {
    "duplicate_key": ("projects", _duplicate),
    "unknown_sector": (
        "projects",
        lambda d: edited(d, "projects", "p01", "sector", "carbon_magic"),
    ),
    "unknown_building": (
        "projects",
        lambda d: edited(d, "projects", "p06", "building_id", "nowhere"),
    ),
    "building_still_used": ("buildings", lambda d: _remove(d, "buildings", "tianfeng")),
    "outside_wuhan": ("buildings", lambda d: edited(d, "buildings", "tanhui", "lat", "31.9")),
    "swapped_lat_lon": ("buildings", _swap),
    "negative_amount": (
        "projects",
        lambda d: edited(d, "projects", "p06", "amount_cny_100m", "-5"),
    ),
    "percent_amount": (
        "projects",
        lambda d: edited(d, "projects", "p06", "amount_cny_100m", "12%"),
    ),
    "excel_error": ("projects", lambda d: edited(d, "projects", "p06", "amount_cny_100m", "#N/A")),
    "ambiguous_commas": (
        "projects",
        lambda d: edited(d, "projects", "p06", "amount_cny_100m", "1,23"),
    ),
    "words_not_number": (
        "projects",
        lambda d: edited(d, "projects", "p06", "amount_cny_100m", "五亿"),
    ),
    "missing_column": ("projects", lambda d: _drop_column(d, "projects", "status")),
    "renamed_column": ("projects", lambda d: _rename_header(d, "projects", "sector", "领域")),
    "duplicated_column": ("projects", lambda d: _rename_header(d, "projects", "company", "sector")),
    "empty_file": ("metrics", lambda d: ""),
    "header_only": ("metrics", lambda d: text(d, "metrics").split("\n", 1)[0] + "\n"),
}
EXPECTED = {
    "duplicate_key": "duplicate_key",
    "unknown_sector": "not_one_of",
    "unknown_building": "unknown_building",
    "building_still_used": "building_in_use",
    "outside_wuhan": "out_of_wuhan",
    "swapped_lat_lon": "swapped_lat_lon",
    "negative_amount": "negative",
    "percent_amount": "percent",
    "excel_error": "excel_error",
    "ambiguous_commas": "ambiguous_number",
    "words_not_number": "not_a_number",
    "missing_column": "missing_column",
    "renamed_column": "missing_column",
    "duplicated_column": "duplicate_column",
    "empty_file": "empty",
    "header_only": "header_only",
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_guard_refuses_and_changes_nothing(data_dir, case):
    table, make = REFUSALS[case]
    upload = make(data_dir).encode("utf-8")
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, table, "upload.csv", upload, "tester")
    assert outcome.status == "invalid"
    assert EXPECTED[case] in {p.code for p in outcome.plan.problems}
    for p in outcome.plan.problems:  # every problem says what to do, in both languages
        assert all(p.render(lang) for lang in LANGS)
    assert snapshot(data_dir) == before


def _xlsx_bytes(data_dir: Path) -> bytes:
    header, records = rows(data_dir, "metrics")
    return workbook(header, [[r[c] for c in header] for r in records])


FILE_REFUSALS = {
    "xlsx_renamed_csv": ("projects.csv", _xlsx_bytes, "xlsx_renamed"),
    "not_really_xlsx": ("metrics.xlsx", lambda d: text(d, "metrics").encode(), "xlsx_unreadable"),
    "legacy_xls": ("metrics.xls", lambda d: OLE_MAGIC + b"\0" * 600, "xls_legacy"),
    "utf16": ("metrics.csv", lambda d: text(d, "metrics").encode("utf-16"), "utf16"),
    "unknown_encoding": (
        "metrics.csv",
        lambda d: b"metric,as_of\n\x81 x,2025\n",  # neither GB18030 nor Windows-1252
        "encoding",
    ),
    "too_large": (
        "metrics.csv",
        lambda d: b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1),
        "too_large",
    ),
}


@pytest.mark.parametrize("case", list(FILE_REFUSALS))
def test_unreadable_files_are_refused_with_their_own_message(data_dir, case):
    name, make, code = FILE_REFUSALS[case]
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, "metrics", name, make(data_dir), "tester")
    assert outcome.status == "invalid"
    assert [p.code for p in outcome.plan.problems] == [code]
    assert snapshot(data_dir) == before


def test_dropping_most_rows_needs_a_second_confirmation(data_dir):
    header, records = rows(data_dir, "projects")
    kept = [r for r in records if r["building_id"]]  # rows other tables rely on stay
    kept = kept[:5]
    upload = as_csv(header, kept).encode()
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, "projects", "p.csv", upload, "tester")
    assert outcome.status == "confirm"
    assert outcome.plan.diff.drop_share > change_plan.DROP_SHARE
    assert "%" in outcome.message("zh") and "%" in outcome.message("en")
    assert snapshot(data_dir) == before

    outcome = store.import_upload(
        data_dir, "projects", "p.csv", upload, "tester", confirm_drop=True
    )
    assert outcome.status == "written"
    assert len(rows(data_dir, "projects")[1]) == 5


# ── encodings ─────────────────────────────────────────────────────────────────────────────

ENCODINGS = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gbk": "gbk"}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_same_content_in_any_encoding_changes_nothing(data_dir, encoding):
    upload = text(data_dir, "buildings").replace("\n", "\r\n").encode(ENCODINGS[encoding])
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, "buildings", "b.csv", upload, "tester")
    assert outcome.status == "unchanged"
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_bad_cell_is_reported_with_its_chinese_text_decoded(data_dir, encoding):
    upload = edited(data_dir, "buildings", "tianfeng", "provenance", "估计").encode(
        ENCODINGS[encoding]
    )
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, "buildings", "b.csv", upload, "tester")
    assert outcome.status == "invalid"
    [problem] = outcome.plan.problems
    assert (problem.code, problem.line, problem.column, problem.value) == (
        "not_one_of",
        3,
        "provenance",
        "估计",
    )
    assert snapshot(data_dir) == before


def test_gbk_file_saved_by_excel_imports_with_a_backup(data_dir):
    original = (data_dir / "buildings.csv").read_bytes()
    excel = edited(data_dir, "buildings", "tianfeng", "name_zh", "天风大厦（新楼）")
    upload = excel.replace("\n", "\r\n").encode("gbk")  # Excel on Chinese Windows: GBK, CRLF
    outcome = store.import_upload(data_dir, "buildings", "楼宇.csv", upload, "王工")
    assert outcome.status == "written"
    assert [
        (k, [(c.column, c.before, c.after) for c in cells])
        for k, cells in outcome.plan.diff.changed
    ] == [("tianfeng", [("name_zh", "天风大厦", "天风大厦（新楼）")])]
    written = (data_dir / "buildings.csv").read_bytes()
    assert not written.startswith(b"\xef\xbb\xbf") and b"\r\n" not in written
    assert "天风大厦（新楼）" in written.decode("utf-8")
    assert outcome.backup.parent == data_dir / ".backups" / "buildings"
    assert outcome.backup.name.endswith("__王工.csv")
    assert outcome.backup.read_bytes() == original
    [entry] = history(data_dir, "buildings")
    assert (entry.who, entry.action, entry.rows_before, entry.rows_after) == (
        "王工",
        "import",
        6,
        6,
    )
    assert entry.backup == outcome.backup.name and entry.restorable
    assert not list(data_dir.glob(".*.tmp"))


def test_excel_style_numbers_are_accepted_and_normalised(data_dir):
    upload = edited(data_dir, "projects", "p06", "amount_cny_100m", "1,234")
    upload = upload.replace(",3.2,", ",３.２,")  # full-width digits, as a Chinese IME types them
    outcome = store.import_upload(data_dir, "projects", "p.csv", upload.encode(), "tester")
    assert outcome.status == "written"
    amounts = {r["project_id"]: r["amount_cny_100m"] for r in rows(data_dir, "projects")[1]}
    assert amounts["p06"] == "1234" and amounts["p07"] == "3.2"


# ── .xlsx uploads ─────────────────────────────────────────────────────────────────────────


def _project_cells(record: dict[str, str], header: list[str]) -> list[object]:
    cells: list[object] = []
    for c in header:
        value = record[c]
        if c == "signed_on" and len(value) == 10:
            cells.append(dt.datetime.strptime(value, "%Y-%m-%d"))  # a real date cell
        elif c in TABLES["projects"].numeric and value:
            cells.append(float(value))
        else:
            cells.append(value)
    return cells


def test_xlsx_upload_is_read_as_excel_shows_it(data_dir):
    header, records = rows(data_dir, "projects")
    records[0]["name_en"] = "Dual-carbon service platform"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for record in records:
        sheet.append(_project_cells(record, header))
    for row in sheet.iter_rows(
        min_row=2, min_col=header.index("signed_on") + 1, max_col=header.index("signed_on") + 1
    ):
        row[0].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    outcome = store.import_upload(data_dir, "projects", "projects.xlsx", out.getvalue(), "tester")
    assert outcome.status == "written", [p.render("en") for p in outcome.plan.problems]
    assert [k for k, _ in outcome.plan.diff.changed] == ["p01"]
    assert not outcome.plan.diff.added and not outcome.plan.diff.removed
    assert ",2025-09-23," in text(data_dir, "projects")


def test_xlsx_problem_lines_are_excel_row_numbers(data_dir):
    header, records = rows(data_dir, "metrics")
    cells = [[r[c] for c in header] for r in records]
    cells[2][header.index("value")] = 0.12
    raw = workbook(header, [cells[0], [], cells[1], cells[2]])  # row 3 left blank, as people do
    book = openpyxl.load_workbook(io.BytesIO(raw))
    book.active.cell(row=5, column=header.index("value") + 1).number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    outcome = store.import_upload(data_dir, "metrics", "m.xlsx", out.getvalue(), "tester")
    found = [(p.code, p.line, p.value) for p in outcome.plan.problems]
    assert ("percent", 5, "12%") in found
    assert {line for _, line, _ in found} == {5}


# ── writing: atomic, locked, never through the upload's name ──────────────────────────────


def _rename(data_dir: Path, name: str) -> bytes:
    return edited(data_dir, "buildings", "tianfeng", "name_en", name).encode()


def test_failure_between_write_and_replace_leaves_the_old_file_whole(data_dir, monkeypatch):
    target = data_dir / "buildings.csv"
    real = os.replace

    def crash(src, dst, *args, **kwargs):
        if Path(dst) == target:
            raise OSError(errno.EIO, "simulated crash before the rename")
        return real(src, dst, *args, **kwargs)

    before = snapshot(data_dir, skip=(LOCK,))
    monkeypatch.setattr(os, "replace", crash)
    outcome = store.import_upload(data_dir, "buildings", "b.csv", _rename(data_dir, "X"), "t")
    assert outcome.status == "failed" and outcome.message("en")
    assert snapshot(data_dir, skip=(LOCK,)) == before  # old file byte-identical, no temp, no backup


def test_full_disk_leaves_the_old_file_whole(data_dir, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    before = snapshot(data_dir, skip=(LOCK,))
    monkeypatch.setattr(os, "fsync", full)
    outcome = store.import_upload(data_dir, "buildings", "b.csv", _rename(data_dir, "X"), "t")
    assert outcome.status == "failed"
    assert snapshot(data_dir, skip=(LOCK,)) == before


def test_the_lock_serialises_two_imports(data_dir, monkeypatch):
    inside, go = threading.Event(), threading.Event()
    real_backup = store._backup

    def paused_backup(*args, **kwargs):
        if threading.current_thread().name == "first":
            inside.set()
            assert go.wait(60)
        return real_backup(*args, **kwargs)

    monkeypatch.setattr(store, "_backup", paused_backup)
    results: dict[str, store.Outcome] = {}

    def run(name: str, upload: bytes) -> None:
        results[name] = store.import_upload(data_dir, "buildings", "b.csv", upload, name)

    first = threading.Thread(target=run, args=("first", _rename(data_dir, "First")), name="first")
    second = threading.Thread(target=run, args=("second", _rename(data_dir, "Second")))
    first.start()
    assert inside.wait(60)  # the first import holds the lock, half-way through
    busy = store.import_upload(
        data_dir, "buildings", "b.csv", _rename(data_dir, "Third"), "third", lock_timeout=0
    )
    assert busy.status == "busy"
    second.start()
    go.set()
    first.join(60)
    second.join(60)
    assert results["first"].status == results["second"].status == "written"
    # the second backed up exactly what the first wrote: one after the other, never interleaved
    assert results["second"].backup.read_bytes() == results["first"].plan.payload
    assert (data_dir / "buildings.csv").read_bytes() == results["second"].plan.payload
    assert [e.who for e in history(data_dir, "buildings")] == ["second", "first"]


def test_a_held_lock_refuses_instead_of_interleaving(data_dir):
    before = snapshot(data_dir, skip=(LOCK,))
    with FileLock(data_dir / LOCK):
        outcome = store.import_upload(
            data_dir, "buildings", "b.csv", _rename(data_dir, "X"), "t", lock_timeout=0
        )
    assert outcome.status == "busy" and outcome.message("zh")
    assert snapshot(data_dir, skip=(LOCK,)) == before


def test_stale_preview_is_refused(data_dir):
    plan = change_plan.prepare(data_dir, "buildings", "b.csv", _rename(data_dir, "Mine"))
    assert store.import_upload(data_dir, "buildings", "o.csv", _rename(data_dir, "Other"), "o").ok
    before = snapshot(data_dir)
    outcome = store.import_upload(
        data_dir, "buildings", "b.csv", _rename(data_dir, "Mine"), "me", expected_base=plan.base
    )
    assert outcome.status == "stale"
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    "name", ["../../buildings.csv", "/etc/passwd", "C:\\x\\..\\..\\evil.csv", ".lock"]
)
def test_the_upload_name_is_never_a_path(data_dir, name):
    outside = snapshot(data_dir.parent, skip=(LOCK,))
    outcome = store.import_upload(
        data_dir,
        "projects",
        name,
        edited(data_dir, "projects", "p01", "company", "x").encode(),
        "t",
    )
    assert outcome.status == "written"
    after = snapshot(data_dir.parent, skip=(LOCK,))
    changed = {k for k in after if after[k] != outside.get(k)}
    assert changed == {
        "data/projects.csv",
        f"data/.backups/projects/{outcome.backup.name}",
        "data/.backups/projects/log.jsonl",
    }


def test_written_file_is_normalised_utf8_with_the_table_columns(data_dir):
    header, records = rows(data_dir, "buildings")
    shuffled = ["extra_note", *reversed(header)]
    for r in records:
        r["extra_note"] = "not kept"
    upload = ("\ufeff" + as_csv(shuffled, records, "\r\n")).encode("utf-8")
    plan = change_plan.prepare(data_dir, "buildings", "b.csv", upload)
    assert plan.ok and plan.dropped_columns == ("extra_note",)
    assert plan.unchanged  # same values, only the layout differs
    payload = plan.payload.decode("utf-8")
    # the table's order; an optional column the upload does not have (source_en) stays out
    assert payload.split("\n", 1)[0] == ",".join(
        c for c in TABLES["buildings"].columns if c in header
    )
    assert "not kept" not in payload


# ── history and restore ───────────────────────────────────────────────────────────────────


def test_restore_puts_a_backup_back_and_is_itself_backed_up(data_dir):
    original = (data_dir / "buildings.csv").read_bytes()
    first = store.import_upload(data_dir, "buildings", "b.csv", _rename(data_dir, "New"), "amy")
    replaced = (data_dir / "buildings.csv").read_bytes()
    outcome = restore(data_dir, "buildings", first.backup.name, "bo")
    assert outcome.status == "restored"
    assert (data_dir / "buildings.csv").read_bytes() == original
    assert outcome.backup.read_bytes() == replaced
    latest, earlier = history(data_dir, "buildings")
    assert (latest.action, latest.who, latest.restored) == ("restore", "bo", first.backup.name)
    assert (earlier.action, earlier.who) == ("import", "amy")
    assert history_table([latest, earlier], "en").shape == (2, 5)


def test_a_hand_edited_log_line_leaves_history_and_restore_working(data_dir):
    """A line without a time zone or with an action we never write (someone edited log.jsonl):
    the history still sorts, reads it as "not logged", and the listed backup still restores."""
    first = store.import_upload(data_dir, "buildings", "b.csv", _rename(data_dir, "New"), "amy")
    log = data_dir / store.BACKUP_DIR / "buildings" / store.LOG_NAME
    with log.open("a", encoding="utf-8") as f:
        f.write('{"when": "2025-10-01T08:00:00", "who": "x", "action": "edit"}\n')
    entries = history(data_dir, "buildings")
    assert [e.who for e in entries] == ["amy", "x"]
    table = history_table(entries, "en")
    assert list(table[table.columns[2]]) == ["Import", "(not logged)"]
    assert restore(data_dir, "buildings", first.backup.name, "bo").status == "restored"


def _one_row_backup(data_dir: Path, table: str) -> str:
    """A backup of `table` holding its first row only (made by importing one row, then the
    whole table back over it): the recipe of issue 26."""
    whole = (data_dir / TABLES[table].filename).read_bytes()
    header, records = rows(data_dir, table)
    small = store.import_upload(data_dir, table, "one.csv", as_csv(header, records[:1]).encode())
    assert small.status == "confirm"  # an import that drops most rows asks first…
    small = store.import_upload(
        data_dir, table, "one.csv", as_csv(header, records[:1]).encode(), confirm_drop=True
    )
    assert store.import_upload(data_dir, table, "all.csv", whole).ok
    return history(data_dir, table)[0].backup  # the one-row version


def test_a_restore_that_drops_most_rows_asks_first_like_an_import(data_dir):
    backup = _one_row_backup(data_dir, "projects")
    before = snapshot(data_dir)
    refused = restore(data_dir, "projects", backup, "bo")
    assert refused.status == "confirm" and refused.plan.diff.rows_after == 1
    assert "(22 rows" in refused.message("en")
    assert snapshot(data_dir) == before  # nothing written, nothing backed up
    assert restore(data_dir, "projects", backup, "bo", confirm_drop=True).status == "restored"
    assert len(rows(data_dir, "projects")[1]) == 1


def test_a_restore_that_removes_a_column_asks_first(data_dir):
    header, records = rows(data_dir, "buildings")
    slim = [c for c in header if c != "role_en"]
    store.import_upload(
        data_dir, "buildings", "b.csv", as_csv(slim, records).encode(), confirm_drop=True
    )
    assert "role_en" not in rows(data_dir, "buildings")[0]
    full = as_csv(header, records).encode()
    assert store.import_upload(data_dir, "buildings", "b.csv", full).ok  # adding one is fine
    backup = history(data_dir, "buildings")[0].backup  # the version without role_en
    refused = restore(data_dir, "buildings", backup, "bo")
    assert refused.status == "confirm" and refused.plan.removed_columns == ("role_en",)
    assert "role_en" in refused.message("en") and "role_en" in refused.message("zh")
    assert restore(data_dir, "buildings", backup, "bo", confirm_drop=True).ok


def test_a_restore_refuses_a_stale_preview(data_dir):
    backup = _one_row_backup(data_dir, "projects")
    plan = restore_plan(data_dir, "projects", backup)  # what the staff page previewed
    changed = edited(data_dir, "projects", "p01", "name_en", "Renamed").encode()
    assert store.import_upload(data_dir, "projects", "p.csv", changed).ok  # someone else, since
    before = snapshot(data_dir)
    outcome = restore(
        data_dir, "projects", backup, "bo", confirm_drop=True, expected_base=plan.base
    )
    assert outcome.status == "stale" and snapshot(data_dir) == before


@pytest.mark.parametrize("name", ["../buildings.csv", "nope.csv", "log.jsonl", ""])
def test_restore_only_accepts_a_listed_backup(data_dir, name):
    store.import_upload(data_dir, "buildings", "b.csv", _rename(data_dir, "New"), "amy")
    before = snapshot(data_dir)
    assert restore(data_dir, "buildings", name, "bo").status == "missing"
    assert snapshot(data_dir) == before


# ── live pick-up ──────────────────────────────────────────────────────────────────────────


def test_fingerprint_changes_when_replaced_within_one_mtime_tick(tmp_path):
    path = tmp_path / "buildings.csv"
    path.write_bytes(b"a,b\n1,2\n")
    stamp = path.stat().st_mtime_ns
    before = fingerprint(tmp_path)
    store.atomic_write(path, b"a,b\n3,4\n")  # same size
    os.utime(path, ns=(stamp, stamp))  # and the same timestamp, as on a 2-second file system
    assert fingerprint(tmp_path) != before


def test_an_unchanged_file_is_not_read_again_but_a_rewritten_one_is(tmp_path, monkeypatch):
    """Every page load takes the fingerprint: a file whose inode, size and times are unchanged
    since a hash taken well after its last change is not read again (git's "racy" rule)."""
    path = tmp_path / "buildings.csv"
    path.write_bytes(b"a,b\n1,2\n")
    old = time.time_ns() - 10 * files.RACY_NS
    os.utime(path, ns=(old, old))  # ctime is now: the first hash is "racy", the next is not
    monkeypatch.setattr(files, "RACY_NS", 0)
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before

    def no_reading(*_):
        raise AssertionError("an unchanged file was read again")

    with monkeypatch.context() as m:
        m.setattr(files, "read_regular", no_reading)
        assert fingerprint(tmp_path) == before
    store.atomic_write(path, b"a,b\n3,4\n")
    os.utime(path, ns=(old, old))
    assert fingerprint(tmp_path) != before


@pytest.mark.parametrize("table", list(TABLES))
def test_downloaded_templates_upload_back_unchanged(data_dir, table):
    before = snapshot(data_dir)
    for name, raw in (
        (f"{table}.csv", templates.template_csv(data_dir, table)),
        (f"{table}.xlsx", templates.template_xlsx(data_dir, table)),
    ):
        outcome = store.import_upload(data_dir, table, name, raw, "t")
        assert outcome.status == "unchanged", (name, outcome.plan.problems, outcome.plan.diff)
    assert snapshot(data_dir) == before


def test_a_missing_table_can_be_created(data_dir):
    raw = (data_dir / "metrics.csv").read_bytes()
    (data_dir / "metrics.csv").unlink()
    outcome = store.import_upload(data_dir, "metrics", "m.csv", raw, "t")
    assert outcome.status == "written" and outcome.backup is None
    assert (data_dir / "metrics.csv").read_bytes() == raw
    [entry] = history(data_dir, "metrics")
    assert entry.backup is None and not entry.restorable


def test_a_read_only_folder_fails_cleanly(data_dir, monkeypatch):
    def no_lock(folder, timeout):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store, "lock", no_lock)
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, "buildings", "b.csv", _rename(data_dir, "X"), "t")
    assert outcome.status == "failed" and "Permission denied" in outcome.message("en")
    assert snapshot(data_dir) == before


def test_every_problem_at_once_including_references(data_dir):
    upload = edited(data_dir, "projects", "p06", "building_id", "nowhere")
    upload = upload.replace(",carbon_tech,", ",carbon_magic,", 1)
    plan = change_plan.prepare(data_dir, "projects", "p.csv", upload.encode())
    assert {p.code for p in plan.problems} == {"not_one_of", "unknown_building"}
    assert [p.line for p in plan.problems] == sorted(p.line for p in plan.problems)
