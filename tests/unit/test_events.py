"""Issue 25: investment events are a table (events.csv) that the pages follow; every bad events or
projects file is refused with the row, the column and what to do, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from shahu.content import events, print_footer, tour, views
from shahu.content.downloads import brief_html
from shahu.core.i18n import LANGS, t
from shahu.core.paths import DEFAULT_GEO_DIR
from shahu.data import samples, store, templates
from shahu.data.dataset import load_dataset, load_tables
from shahu.data.history import restore
from shahu.data.schemas import TABLES, Event, Project
from shahu.ops.cli import EXIT_INVALID, main
from tests.helpers import as_csv, edited, rows, snapshot

SHIPPED = "2025-09-23-shanghai"
NEWER = {  # a second event, as staff would add it (test data only: no invented event ships)
    "event_id": "2026-03-18-wuhan",
    "held_on": "2026-03-18",
    "title_zh": "测试招商推介会",
    "title_en": "Test investment event",
    "place_zh": "武汉",
    "place_en": "Wuhan",
    "projects_signed": "12",
    "amount_cny_100m": "30",
    "amount_qualifier": "约",
    "provenance": "reported",
    "source": "测试来源 2026-03",
    "source_en": "Test source, 2026-03",
}


def with_event(folder: Path, **changes: str) -> bytes:
    """events.csv with the second event added (its cells changed by `changes`)."""
    header, records = rows(folder, "events")
    return as_csv(header, [*records, {**NEWER, **changes}]).encode()


def add_newer(folder: Path, projects: int = 2) -> None:
    """The second event and `projects` reported projects pointing to it, through the importer."""
    outcome = store.import_upload(folder, "events", "e.csv", with_event(folder), "t")
    assert outcome.status == "written", outcome.plan.problems
    if not projects:
        return
    header, records = rows(folder, "projects")
    extra = [
        {
            **records[0],
            "project_id": f"n{i}",
            "name_zh": f"新项目 {i}",
            "name_en": f"New project {i}",
            "signed_on": NEWER["held_on"],
            "event_id": NEWER["event_id"],
            "amount_cny_100m": "",
        }
        for i in range(projects)
    ]
    outcome = store.import_upload(
        folder, "projects", "p.csv", as_csv(header, records + extra).encode(), "t"
    )
    assert outcome.status == "written", outcome.plan.problems


def visible(folder: Path):
    return samples.visible(load_dataset(folder, DEFAULT_GEO_DIR), False)


# ── the shipped event ─────────────────────────────────────────────────────────────────────


def test_the_shipped_event_is_the_facts_one_row(shipped):
    frame = shipped["events"]
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row[Event.event_id], row[Event.held_on], row[Event.place_zh]) == (
        SHIPPED,
        "2025-09-23",
        "上海",
    )
    assert row[Event.title_zh] == "“沙湖碳心·沪链未来”2025年湖北省武汉市“双碳”产业招商推介会"
    assert (row[Event.projects_signed], row[Event.amount_cny_100m]) == (23, 67)
    assert (row[Event.amount_qualifier], row[Event.provenance]) == ("超", "reported")
    assert row[Event.source] == "长江日报 2025-09"
    assert row[Event.source_en] == "Changjiang Daily, 2025-09"
    projects = shipped["projects"]
    reported = projects[projects[Project.provenance] == "reported"]
    assert len(reported) == 5 and set(reported[Project.event_id]) == {SHIPPED}
    assert set(projects[Project.event_id]) == {SHIPPED}  # the sample rows too: shown only when on


def test_the_columns_are_exactly_the_issues():
    assert TABLES["events"].columns == (
        "event_id",
        "held_on",
        "title_zh",
        "title_en",
        "place_zh",
        "place_en",
        "projects_signed",
        "amount_cny_100m",
        "amount_qualifier",
        "provenance",
        "source",
        "source_en",
    )
    assert TABLES["events"].key == ("event_id",) and "event_id" in TABLES["projects"].optional


@pytest.mark.parametrize(
    ("lang", "line", "lede"),
    [
        (
            "zh",
            "2025年9月23日 · 上海 · “沙湖碳心·沪链未来”2025年湖北省武汉市“双碳”产业招商推介会",
            "2025年9月23日，“沙湖碳心·沪链未来”2025年湖北省武汉市“双碳”产业招商推介会在上海举办，"
            "23个“双碳”产业项目签约落地武昌区。",
        ),
        (
            "en",
            "23 September 2025 · Shanghai · “沙湖碳心·沪链未来” (Sha Lake carbon heart, "
            "Shanghai-linked future), the 2025 Wuhan dual-carbon investment event",
            "On 23 September 2025 in Shanghai, 23 dual-carbon projects signed to land in Wuchang "
            "District, Wuhan, at “沙湖碳心·沪链未来” (Sha Lake carbon heart, Shanghai-linked "
            "future), the 2025 Wuhan dual-carbon investment event.",
        ),
    ],
)
def test_the_shipped_event_reads_as_the_pages_always_said(shipped, lang, line, lede):
    public = samples.visible(shipped, False)
    glance = events.glance(public, lang)
    assert glance.line == line  # what the catalogue's `signings.event` said, word for word
    assert views.overview(public, lang).lede == lede
    assert (
        [(k.value, k.help) for k in glance.kpis]
        == [
            ("23个", "来源：长江日报 2025-09（2025年9月23日，已报道）"),
            ("超67亿元", "来源：长江日报 2025-09（2025年9月23日，已报道）"),
        ]
        if lang == "zh"
        else [
            ("23", "Source: Changjiang Daily, 2025-09 (23 Sep 2025, Reported)"),
            ("over CNY 6.7 bn", "Source: Changjiang Daily, 2025-09 (23 Sep 2025, Reported)"),
        ]
    )
    assert views.overview(public, lang).kpis[:2] == glance.kpis  # the overview leads with them
    assert events.timeline(public, lang) == ()  # one event: no timeline


def test_the_tour_and_the_footer_tell_the_shipped_event(shipped):
    public = samples.visible(shipped, False)
    assert events.tour_words(public, "en") == (
        "23 signed projects",
        "On 23 September 2025 in Shanghai, 23 dual-carbon projects signed to land in Wuchang, "
        "expected to bring over CNY 6.7 bn of carbon investment.",
    )
    assert events.tour_words(public, "zh") == (
        "23 个签约项目",
        "2025年9月23日在上海，23 个“双碳”产业项目签约落地武昌，预计带动碳投资超67亿元。",
    )
    footer = print_footer.footer_text(public, "en")
    assert footer.startswith("Source: 长江日报 2025-09; figures as of 23 Sep 2025")
    assert footer.endswith(f"Event: {events.glance(public, 'en').line}.")
    assert events.sectors_lede(public, "zh") == t("sectors.lede", "zh", count="23")


def test_the_catalogue_holds_no_event():
    from shahu.core.i18n import CATALOGUE

    words = [text for entry in CATALOGUE.values() for text in entry.values()]
    assert not [w for w in words if "2025年9月23日" in w or "沪链未来" in w or "67亿" in w]


# ── the logic ─────────────────────────────────────────────────────────────────────────────


def test_the_newest_reported_event_leads_and_samples_never_do(data_dir):
    add_newer(data_dir)
    header, records = rows(data_dir, "events")
    later = {
        **records[-1],
        "event_id": "2027-sample",
        "held_on": "2027-01",
        "provenance": "illustrative",
    }
    (data_dir / "events.csv").write_text(as_csv(header, [*records, later]), encoding="utf-8")
    ds = visible(data_dir)
    assert events.newest(ds["events"])[Event.event_id] == NEWER["event_id"]
    assert events.event_ids(ds) == (NEWER["event_id"], SHIPPED)  # the sample event is hidden
    shown = samples.visible(load_dataset(data_dir, DEFAULT_GEO_DIR), True)
    assert events.event_ids(shown)[0] == "2027-sample"  # newest of all, with samples on …
    assert events.newest(shown["events"])[Event.event_id] == NEWER["event_id"]  # … not the lead


def test_a_second_event_leads_every_page_that_names_one(data_dir):
    add_newer(data_dir)
    ds = visible(data_dir)
    glance = events.glance(ds, "en")
    assert glance.event_id == NEWER["event_id"]
    assert glance.line == "18 March 2026 · Wuhan · Test investment event"
    assert [k.value for k in glance.kpis] == ["12", "about CNY 3 bn"]
    assert (glance.known.signed, glance.known.named, glance.known.unnamed) == (12, 2, 10)
    assert (
        glance.summary
        == "12 projects signed · 2 named in public · 10 not named in the reports we cite"
    )
    assert views.overview(ds, "zh").lede == (
        "2026年3月18日，测试招商推介会在武汉举办，12个“双碳”产业项目签约落地武昌区。"
    )
    assert [k.value for k in views.overview(ds, "zh").kpis[:2]] == ["12个", "约30亿元"]
    assert events.tour_words(ds, "en") == (
        "12 signed projects",
        "On 18 March 2026 in Wuhan, 12 dual-carbon projects signed to land in Wuchang, expected "
        "to bring about CNY 3 bn of carbon investment.",
    )
    assert tour.words(ds, 3, "en")[0] == "12 signed projects"
    brief = brief_html(ds, "en")
    assert "Test investment event" in brief and "about CNY 3 bn" in brief
    assert "Test source, 2026-03" in brief
    assert print_footer.footer_text(ds, "en").endswith(
        "Event: 18 March 2026 · Wuhan · Test investment event."
    )
    assert events.sectors_lede(ds, "en") == t("sectors.lede", "en", count="35")
    # the earlier event is still there to choose, its glance unchanged
    older = events.glance(ds, "zh", SHIPPED)
    assert older.summary == "23 个项目签约 · 5 个已公开名称 · 18 个名称未见报道"
    assert events.glance(ds, "zh", "no-such-event").event_id == NEWER["event_id"]


def test_the_timeline_lists_every_event_newest_first(data_dir):
    add_newer(data_dir)
    entries = events.timeline(visible(data_dir), "zh")
    assert [e.event_id for e in entries] == [NEWER["event_id"], SHIPPED]
    assert entries[0].label == "2026年3月18日 · 武汉 · 测试招商推介会 — 12个 · 约30亿元"
    assert entries[1].label.endswith("— 23个 · 超67亿元")


def test_an_event_with_no_count_or_amount_says_only_what_is_known(data_dir):
    raw = with_event(data_dir, projects_signed="", amount_cny_100m="", amount_qualifier="")
    assert store.import_upload(data_dir, "events", "e.csv", raw, "t").status == "written"
    ds = visible(data_dir)
    glance = events.glance(ds, "en")
    assert glance.kpis == () and glance.known.unnamed is None
    assert glance.summary == "0 named in public"
    assert glance.note == t("truth.amount_undisclosed_note_plain", "en")
    assert views.overview(ds, "en").lede == "On 18 March 2026 in Wuhan: Test investment event."
    assert events.tour_words(ds, "zh") == ("签约项目", "2026年3月18日在武汉：测试招商推介会。")
    assert events.sectors_lede(ds, "en") == t("sectors.lede", "en", count="23")  # the known one


def test_no_event_at_all_leaves_the_pages_without_an_event_line(shipped):
    empty = type(shipped)({**shipped.tables, "events": shipped["events"].iloc[0:0]}, shipped.layers)
    assert events.glance(empty, "zh").line == "" and views.overview(empty, "zh").lede == ""
    assert events.tour_words(empty, "en")[0] == "Signed projects"
    assert "Event:" not in print_footer.footer_text(empty, "en")


# ── bad input: a clear message, and nothing written ──────────────────────────────────────


def _events(folder: Path, **changes: str) -> bytes:
    """The shipped events.csv with its one row's cells changed."""
    header, records = rows(folder, "events")
    return as_csv(header, [{**records[0], **changes}]).encode()


def _twice(folder: Path) -> bytes:
    header, records = rows(folder, "events")
    return as_csv(header, [records[0], {**NEWER, "event_id": SHIPPED}]).encode()


def _too_many(folder: Path) -> bytes:
    """projects.csv with two sample rows made reported: 7 reported rows for an event of 5."""
    header, records = rows(folder, "projects")
    for record in records[5:7]:
        record["provenance"] = "reported"
    return as_csv(header, records).encode()


REFUSED = {  # case: (table, upload, problem code, line, column)
    "unknown_event": (
        "projects",
        lambda d: edited(d, "projects", "p03", "event_id", "2025-09-24-nowhere").encode(),
        "unknown_event",
        4,
        "event_id",
    ),
    "event_still_used": (
        "events",
        lambda d: _events(d, event_id="renamed"),
        "event_in_use",
        None,
        "event_id",
    ),
    "duplicate_event": ("events", _twice, "duplicate_key", 3, "event_id"),
    "impossible_day": (
        "events",
        lambda d: _events(d, held_on="2025-09-31"),
        "bad_date",
        2,
        "held_on",
    ),
    "no_such_month": ("events", lambda d: _events(d, held_on="2025-13"), "bad_date", 2, "held_on"),
    "negative_amount": (
        "events",
        lambda d: _events(d, amount_cny_100m="-67"),
        "negative",
        2,
        "amount_cny_100m",
    ),
    "amount_in_words": (
        "events",
        lambda d: _events(d, amount_cny_100m="67亿"),
        "not_a_number",
        2,
        "amount_cny_100m",
    ),
    "negative_count": (
        "events",
        lambda d: _events(d, projects_signed="-1"),
        "negative",
        2,
        "projects_signed",
    ),
    "count_in_words": (
        "events",
        lambda d: _events(d, projects_signed="二十三"),
        "not_a_number",
        2,
        "projects_signed",
    ),
    "count_not_whole": (
        "events",
        lambda d: _events(d, projects_signed="23.5"),
        "not_whole",
        2,
        "projects_signed",
    ),
    "count_below_the_named": (
        "events",
        lambda d: _events(d, projects_signed="4"),
        "signed_below_listed",
        2,
        "projects_signed",
    ),
    "unknown_wording": (
        "events",
        lambda d: _events(d, amount_qualifier="超过"),
        "not_one_of",
        2,
        "amount_qualifier",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_each_bad_events_input_is_refused_and_changes_nothing(data_dir, case):
    table, make, code, line, column = REFUSED[case]
    upload = make(data_dir)
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, table, "upload.csv", upload, "tester")
    assert outcome.status == "invalid"
    found = [(p.code, p.line, p.column) for p in outcome.plan.problems]
    assert (code, line, column) in found, found
    for p in outcome.plan.problems:
        for lang in LANGS:  # the file, the row and the column, then what to do
            text = p.render(lang)
            assert text.startswith("upload.csv") and p.column in text, text
            assert p.line is None or t("problem.where_line", lang, line=p.line) in text
            assert "{" not in text and p.message(lang) in text
    assert snapshot(data_dir) == before


def test_the_messages_say_what_to_do(data_dir):
    def first(table: str, upload: bytes):
        outcome = store.import_upload(data_dir, table, "u.csv", upload, "t")
        return outcome.plan.problems[0]

    unknown = first("projects", edited(data_dir, "projects", "p03", "event_id", "x-1").encode())
    assert unknown.render("zh") == (
        "u.csv · 第 4 行 · 列 event_id · 值“x-1”: events.csv 中没有这个活动编号。"
        "请先在 events.csv 中添加该活动，或改用已有编号，或留空。"
    )
    in_use = first("events", _events(data_dir, event_id="renamed"))
    assert in_use.render("en") == (
        f"u.csv · column event_id · value “{SHIPPED}”: This file removes this event (or changes "
        "its ID), but 23 rows of projects.csv still point to it (the first: line 2). Keep the "
        "event, or change those rows' event_id first."
    )
    below = first("events", _events(data_dir, projects_signed="4"))
    assert below.render("en") == (
        "u.csv · line 2 · column projects_signed · value “4”: Fewer projects signed than "
        "projects.csv points to this event (5, sample rows not counted). Type the reported count "
        "(at least 5), or change projects.csv first; leave it empty if unknown."
    )


def test_a_projects_file_pointing_more_projects_at_an_event_than_it_signed(data_dir):
    (data_dir / "events.csv").write_bytes(_events(data_dir, projects_signed="6"))
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, "projects", "p.csv", _too_many(data_dir), "t")
    assert outcome.status == "invalid"
    [problem] = outcome.plan.problems
    assert (problem.code, problem.line, problem.column, problem.value) == (
        "event_over_signed",
        8,  # the 7th reported row pointing to it: one too many
        "event_id",
        SHIPPED,
    )
    assert problem.render("zh").endswith(
        f"events.csv 第 2 行记活动“{SHIPPED}”签约 6 个项目，但本文件有 7 个项目（示例行不计）指向它，"
        "从这一行起超出。请先在 events.csv 中改正签约项目数，或把多出的行改指别的活动或留空。"
    )
    assert snapshot(data_dir) == before


def test_sample_rows_never_count_against_an_event(data_dir):
    raw = _events(data_dir, projects_signed="5")  # 5 reported + 18 sample rows point to it
    assert store.import_upload(data_dir, "events", "e.csv", raw, "t").status == "written"


def test_check_reports_a_broken_reference_on_disk(data_dir, capsys):
    (data_dir / "projects.csv").write_text(edited(data_dir, "projects", "p01", "event_id", "gone"))
    (data_dir / "events.csv").write_bytes(_events(data_dir, projects_signed="3"))
    _, problems, stale = load_tables(data_dir)
    assert stale == ()  # each file is valid alone; the references between them are not
    assert [(p.file, p.code, p.line, p.column) for p in problems] == [
        ("projects.csv", "unknown_event", 2, "event_id"),
        ("events.csv", "signed_below_listed", 2, "projects_signed"),
    ]
    assert main(["--lang", "en", "check", str(data_dir)]) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "There is no event with this ID in events.csv" in out and "line 2" in out


# ── the staff's path: template, import with preview, backup and restore ──────────────────


def test_the_events_template_uploads_back_unchanged(data_dir):
    before = snapshot(data_dir)
    for name, raw in (
        ("events.csv", templates.template_csv(data_dir, "events")),
        ("events.xlsx", templates.template_xlsx(data_dir, "events")),
    ):
        assert store.import_upload(data_dir, "events", name, raw, "t").status == "unchanged"
    assert snapshot(data_dir) == before


def test_a_second_event_is_previewed_written_backed_up_and_restored(data_dir):
    original = (data_dir / "events.csv").read_bytes()
    outcome = store.import_upload(data_dir, "events", "e.csv", with_event(data_dir), "amy")
    assert outcome.status == "written" and outcome.backup.read_bytes() == original
    assert [key for key, _ in outcome.plan.diff.added] == [NEWER["event_id"]]
    assert visible(data_dir)["events"].shape[0] == 2
    back = restore(data_dir, "events", outcome.backup.name, "bo")
    assert back.status == "restored" and (data_dir / "events.csv").read_bytes() == original


def test_removing_an_event_once_no_project_points_to_it(data_dir):
    add_newer(data_dir, projects=0)
    header, records = rows(data_dir, "events")
    raw = as_csv(header, [r for r in records if r["event_id"] != NEWER["event_id"]]).encode()
    assert store.import_upload(data_dir, "events", "e.csv", raw, "t").status == "written"


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("2025-09-23", "2025年9月23日", "23 September 2025"),
        ("2026-03", "2026年3月", "March 2026"),
        ("2023", "2023年", "2023"),
        ("2025-02-30", "2025-02-30", "2025-02-30"),  # not a day: shown as written
    ],
)
def test_an_events_day_is_spelled_out(text, zh, en):
    from shahu.core.formatting import long_date

    assert (long_date(text, "zh"), long_date(text, "en")) == (zh, en)
