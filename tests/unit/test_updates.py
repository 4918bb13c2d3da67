"""Issue 25, deliverable 4: “Data updates” lists each published change from the import log, newest
first; never an account, a file name or a sample row, and a restore says what it undid."""

from __future__ import annotations

import dataclasses
import json

import pytest

from shahu.content import updates
from shahu.content.print_footer import data_as_of
from shahu.core.formatting import date_label
from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_GEO_DIR
from shahu.data import store
from shahu.data.dataset import load_dataset
from shahu.data.history import history, restore
from shahu.data.published import MAX_NAMES, Published
from shahu.data.store import import_upload
from tests.helpers import as_csv, rows

WHO = ("Amy", "王工")
FILE = "机构-final-v3.csv"


def page(data_dir, lang: str) -> updates.Updates:
    ds = dataclasses.replace(load_dataset(data_dir, DEFAULT_GEO_DIR), folder=data_dir)
    return updates.page(ds, lang)


def institutions_changed(data_dir) -> bytes:
    """One reported row gone, one reported and one sample row new, one reported row changed."""
    header, records = rows(data_dir, "institutions")
    reported = [r for r in records if r["provenance"] == "reported"]
    gone, kept = reported[0], [r for r in records if r is not reported[0]]
    kept[0] = {**kept[0], "name_en": kept[0]["name_en"] + " (renamed)"}
    new = {**gone, "institution_id": "new_bank", "name_zh": "新银行", "name_en": "New Bank"}
    sample = {**gone, "institution_id": "sample_x", "provenance": "illustrative"}
    sample |= {"name_zh": "示例：某机构", "name_en": "Sample: some firm"}
    return as_csv(header, [*kept, new, sample]).encode()


@pytest.fixture
def imported(data_dir):
    gone = next(r for r in rows(data_dir, "institutions")[1] if r["provenance"] == "reported")
    outcome = import_upload(data_dir, "institutions", FILE, institutions_changed(data_dir), WHO[0])
    assert outcome.status == "written"
    return data_dir, gone


def test_the_log_keeps_what_visitors_see_change(imported):
    data_dir, gone = imported
    [entry] = history(data_dir, "institutions")
    p = entry.published
    assert (p.added, p.changed, p.removed) == (1, 1, 1)  # the sample row is not counted
    assert p.names_added == (("新银行", "New Bank"),)
    assert p.names_removed == ((gone["name_zh"], gone["name_en"]),)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_import_is_listed_with_date_table_counts_and_names(imported, lang):
    data_dir, gone = imported
    view = page(data_dir, lang)
    [item] = [line for line in view.items.split("\n- ")]
    [entry] = history(data_dir, "institutions")
    assert updates.day(entry.when, lang) in item.splitlines()[0]
    assert t("staff.table.institutions", lang) in item.splitlines()[0]
    assert t("updates.counts", lang, added=1, changed=1, removed=1) in item
    assert ("New Bank" if lang == "en" else "新银行") in item
    assert (gone["name_en"] if lang == "en" else gone["name_zh"]) in item
    assert view.footer == t("updates.footer", lang, date=updates.day(entry.when, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_account_file_name_or_sample_row_is_ever_shown(imported, lang):
    data_dir, _ = imported
    [entry] = history(data_dir, "institutions")
    restore(data_dir, "institutions", entry.backup, WHO[1])
    view = page(data_dir, lang)
    shown = view.items + view.footer
    for secret in (
        *WHO,
        FILE,
        entry.backup,
        ".csv",
        "示例：某机构",
        "Sample: some firm",
        "sample_x",
    ):
        assert secret not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_restore_is_its_own_entry_and_what_it_undid_says_so(imported, lang):
    data_dir, gone = imported
    [entry] = history(data_dir, "institutions")
    assert restore(data_dir, "institutions", entry.backup, WHO[1]).status == "restored"
    latest, earlier = updates.updates(data_dir)
    assert (latest.action, latest.undone, earlier.action, earlier.undone) == (
        "restore",
        False,
        "import",
        True,
    )
    assert latest.restored_from == earlier.when
    first, second = page(data_dir, lang).items.split("\n- ")
    assert t("updates.restored", lang, date=updates.day(earlier.when, lang)) in first
    assert t("updates.counts", lang, added=1, changed=1, removed=1) in first  # back as it was
    assert (gone["name_en"] if lang == "en" else gone["name_zh"]) in first
    assert t("updates.undone", lang) in second and t("updates.undone", lang) not in first


def test_undoing_a_restore_brings_the_change_back(imported):
    data_dir, _ = imported
    [entry] = history(data_dir, "institutions")
    restore(data_dir, "institutions", entry.backup, "amy")
    undo = history(data_dir, "institutions")[0]  # the restore; its backup: the imported version
    assert restore(data_dir, "institutions", undo.backup, "amy").status == "restored"
    listed = updates.updates(data_dir)
    assert [(u.action, u.undone) for u in listed] == [
        ("restore", False),
        ("restore", True),
        ("import", False),
    ]


def test_a_change_to_sample_rows_only_is_not_listed(data_dir):
    header, records = rows(data_dir, "institutions")
    sample = next(r for r in records if r["provenance"] == "illustrative")
    records = [r for r in records if r is not sample]
    assert import_upload(data_dir, "institutions", FILE, as_csv(header, records).encode()).ok
    assert history(data_dir, "institutions")[0].published == Published()
    assert updates.updates(data_dir) == []
    for lang in ("zh", "en"):
        assert page(data_dir, lang).items == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_no_history_the_footer_says_what_the_figures_are_as_of(data_dir, lang):
    as_of = data_as_of(load_dataset(data_dir, DEFAULT_GEO_DIR))
    assert as_of == "2025-09-23"  # the event's day: its two headline figures live in events.csv
    want = t("updates.footer_none", lang, as_of=date_label(as_of, lang))
    assert page(data_dir, lang).footer == want


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_older_log_line_without_counts_still_reads(data_dir, lang):
    log = data_dir / store.BACKUP_DIR / "projects" / store.LOG_NAME
    log.parent.mkdir(parents=True)
    line = {"when": "2025-10-01T02:00:00+00:00", "who": "amy", "action": "import", "backup": None}
    log.write_text(json.dumps(line) + "\n{not json\n", encoding="utf-8")
    [update] = updates.updates(data_dir)
    assert update.published is None
    item = page(data_dir, lang).items
    assert t("updates.no_details", lang) in item and "amy" not in item
    assert updates.day(update.when, lang) == ("2025年10月1日" if lang == "zh" else "1 Oct 2025")


def test_names_are_escaped_and_capped(data_dir):
    header, records = rows(data_dir, "institutions")
    extra = [
        {**records[0], "institution_id": f"x{i}", "name_zh": f"机构*{i}*", "name_en": f"[x{i}](y)"}
        for i in range(MAX_NAMES + 5)
    ]
    assert import_upload(
        data_dir, "institutions", "x.csv", as_csv(header, records + extra).encode()
    )
    p = history(data_dir, "institutions")[0].published
    assert p.added == MAX_NAMES + 5 and len(p.names_added) == MAX_NAMES
    item = page(data_dir, "en").items
    assert "\\[x0\\](y)" in item
