"""Issue 25, the staff walk-through: in Chromium, offline, a staff member adds an investment event
through the data page alone (template download, upload, preview, confirm), with projects pointing
to it; a fresh visitor meets it first on the signings page, the overview, the tour and "Data
updates"; a restore takes it all back, and "Data updates" says so. Clicked as a person would,
waiting for Streamlit's own signals, never a sleep."""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from harness import browser as b
from shahu.content import events, tour, updates
from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR
from shahu.data import samples
from shahu.data.dataset import load_dataset
from shahu.data.history import history, restore_plan
from shahu.data.schemas import TABLES, Event
from shahu.ui.refresh import entry_label
from tests.accounts import OTHER_PASSWORD, secrets_toml
from tests.helpers import as_csv, copy_data, rows

LANG = "zh"
STAFF = "王工"
SHIPPED_ID = "2025-09-23-shanghai"
NEW_EVENT = {  # a second reported event, as staff would add it (test data: no invented event ships)
    "event_id": "2026-03-18-wuhan",
    "held_on": "2026-03-18",
    "title_zh": "测试招商推介会",
    "title_en": "Test investment event",
    "place_zh": "武汉",
    "place_en": "Wuhan",
    "projects_signed": "5",
    "amount_cny_100m": "12",
    "amount_qualifier": "约",
    "provenance": "reported",
    "source": "测试 2026-03",
    "source_en": "Test, 2026-03",
}
NEW_PROJECTS = [("t01", "测试项目甲", "Test project A"), ("t02", "测试项目乙", "Test project B")]
SIGNINGS_STEP = next(i for i, step in enumerate(tour.STEPS) if step.key == "signings")
NEW_NAMES = [zh for _, zh, _ in NEW_PROJECTS]
UPLOADS = {"events": "招商活动-2026年3月.csv", "projects": "签约项目-2026年3月.csv"}

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
STREAM = "/_stcore/stream"  # the session's websocket
SETTLE = """async (el) => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const running = el.getAnimations({subtree: true}).filter(
    (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity
  );
  await Promise.allSettled(running.map((a) => a.finished));
}"""


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, chromium):
    """One app with staff accounts, on its own copy of the data, as shipped."""
    data = copy_data(tmp_path_factory.mktemp("walkthrough"))
    secrets = data.parent / "secrets.toml"
    secrets.write_text(secrets_toml(), encoding="utf-8")
    with b.streamlit_server(
        {"SHAHU_DATA_DIR": str(data)}, args=("--secrets.files", str(secrets))
    ) as url:
        yield url, data


# ── acting as a person ───────────────────────────────────────────────────────────────────────


@contextmanager
def visitor(chromium):
    """A fresh visitor: a new browser context (its own Streamlit session), offline."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    attempts = b.block_offsite(context)
    page = context.new_page()
    page.offsite = attempts
    try:
        yield page
    finally:
        context.close()


def visit(page, url: str) -> None:
    """Open `url` and keep hold of the page's Streamlit websocket (`rerun` listens to it)."""
    with page.expect_websocket(lambda ws: ws.url.endswith(STREAM)) as socket:
        page.goto(url)
    page.stream = socket.value
    b.wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0


def run_finished(payload: str | bytes) -> bool:
    """A server message saying a run of the script has ended (not cut short for another run)."""
    if isinstance(payload, str):
        return False
    msg = ForwardMsg.FromString(payload)
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished in FINISHED


def rerun(page, action) -> None:
    """Do `action` (a click, an upload) and wait for the run it starts to end: the server says so
    on the websocket. The app's `notRunning` state alone can be the one left by the run before,
    read before the click's run has begun."""
    with page.stream.expect_event("framereceived", predicate=run_finished):
        action()
    b.wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0


def choose(page, label: str, option: str) -> None:
    """Open the selectbox labelled `label` and pick `option` by its text."""
    box = page.get_by_role("combobox", name=label, exact=True)
    if box.input_value() == option:
        return
    box.click()
    rerun(page, lambda: page.get_by_role("option", name=option, exact=True).click())
    expect(box).to_have_value(option)


def table_option(table: str) -> str:
    return f"{t(f'staff.table.{table}', LANG)} · {TABLES[table].filename}"


def sign_in(page, url: str) -> None:
    visit(page, f"{url}/data?lang={LANG}")
    page.get_by_label(t("staff.name", LANG)).fill(STAFF)
    page.get_by_label(t("staff.password", LANG), exact=True).fill(OTHER_PASSWORD)
    page.get_by_role("button", name=t("staff.sign_in_button", LANG)).click()
    page.get_by_text(t("staff.signed_in", LANG, who=STAFF)).wait_for()
    b.wait_for_app(page)


def outcome(key: str, table: str, **words) -> str:
    """The start of the message a write leaves (up to the backup's name, which we cannot know)."""
    said = t(key, LANG, table=TABLES[table].filename, backup="\0", **words)
    return said.split("\0")[0]


def upload_and_confirm(
    page, table: str, raw: bytes, before: int, names: list[str], shot: str = ""
) -> None:
    """Upload `raw` as `table`, read the preview (rows named `names` added to `before` rows; saved
    as screenshot `shot`), confirm."""
    dropzone = page.locator("[data-testid=stFileUploaderDropzoneInput]")
    rerun(
        page,
        lambda: dropzone.set_input_files(
            files=[{"name": UPLOADS[table], "mimeType": "text/csv", "buffer": raw}]
        ),
    )
    page.get_by_text(t("staff.preview", LANG), exact=True).wait_for()
    n = len(names)
    summary = t(
        "staff.summary", LANG, before=before, after=before + n, added=n, removed=0, changed=0
    )
    page.get_by_text(summary.replace("**", ""), exact=True).wait_for()
    for name in names:  # each added row by its name, in the preview's table
        page.get_by_role("cell", name=name, exact=True).wait_for()
    if shot:
        b.screenshot(page, shot)
    rerun(page, lambda: page.get_by_role("button", name=t("staff.confirm", LANG)).click())
    page.get_by_text(
        outcome("staff.outcome.written", table, added=n, removed=0, changed=0)
    ).wait_for()


def open_history(page) -> None:
    """Open the backup history (it may be open already: the expander keeps its state)."""
    details = page.locator("[data-testid=stExpander] details").filter(
        has_text=t("staff.history", LANG)
    )
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    settle(details)


def settle(locator) -> None:
    """Wait for the (finite) animations in `locator`, such as an expander opening, to end: a button
    still moving can take the press but lose the click."""
    locator.evaluate(SETTLE)


def restore_before_walkthrough(page, data, table: str, names: list[str]) -> None:
    """Restore `table` to its version before the walk-through's import (the preview names the
    rows it takes away), confirming a second time when the preview asks for it."""
    choose(page, t("staff.table", LANG), table_option(table))
    open_history(page)
    [imported] = [e for e in history(data, table) if e.restorable and e.action == "import"]
    choose(page, t("staff.restore_pick", LANG), entry_label(imported, LANG))
    button = page.get_by_role("button", name=t("staff.restore", LANG))
    button.wait_for()
    for name in names:
        page.get_by_role("cell", name=name, exact=True).wait_for()
    plan = restore_plan(data, table, imported.backup)  # the product's own rule: most rows, a column
    if plan.needs_confirmation:
        sure = t("staff.columns_confirm" if plan.removed_columns else "staff.drop_confirm", LANG)
        expect(button).to_be_disabled()
        rerun(page, page.get_by_text(sure, exact=True).click)  # the checkbox's label, as a person
        expect(page.get_by_role("checkbox", name=sure)).to_be_checked()
    expect(button).to_be_enabled()
    settle(page.locator("[data-testid=stExpander]").filter(has=button))
    rerun(page, button.click)
    page.get_by_text(outcome("staff.outcome.restored", table)).wait_for()


# ── what a visitor reads ─────────────────────────────────────────────────────────────────────


def lede(page):
    """The line under the page's title (`blocks.heading`)."""
    return page.locator("[data-testid=stMarkdownContainer]:has(h1) > p").first


def figures(page, block: str, part: str = "value"):
    """The headline figures of one block (`markup.figures_grid`): their values, labels or sources."""
    return page.locator(f"[data-figures={block}] .shahu-kpi-{part}")


def leading(page, block: str, n: int, part: str = "value") -> list[str]:
    """The first `n` figures' texts, once drawn."""
    found = figures(page, block, part)
    found.nth(n - 1).wait_for()
    return found.all_inner_texts()[:n]


def timeline(page):
    radio = page.locator("[data-testid=stRadio]").filter(has_text=t("signings.timeline", LANG))
    return radio.locator("[data-testid=stRadioOption]")


def update_items(page, n: int) -> list[str]:
    """The n changes listed on the Data updates page, newest first."""
    items = page.locator("[data-testid=stMain] li")
    expect(items).to_have_count(n)
    return items.all_inner_texts()


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def visible_dataset(data):
    """The data as a visitor's session reads it (sample rows off, as a link opens the pages)."""
    return samples.visible(load_dataset(data, DEFAULT_GEO_DIR), False)


def came(names: list[str]) -> str:
    return t("updates.came", LANG, names=t("updates.list_sep", LANG).join(names))


def went(names: list[str]) -> str:
    return t("updates.went", LANG, names=t("updates.list_sep", LANG).join(names))


def counts(added: int = 0, changed: int = 0, removed: int = 0) -> str:
    return t("updates.counts", LANG, added=added, changed=changed, removed=removed)


def check_no_staff_traces(page) -> None:
    """Data updates never shows an account, a file name or a sample row."""
    shown = main_text(page)
    for secret in (STAFF, *UPLOADS.values(), ".csv", "示例："):  # sample rows' names: 示例：…
        assert secret not in shown, secret


# ── the walk-through ─────────────────────────────────────────────────────────────────────────


def test_staff_add_an_event_visitors_follow_and_a_restore_takes_it_back(
    staff_server, offline_page, chromium
):
    url, data = staff_server
    staff = offline_page

    # ── staff: the events template, a second event, projects pointing to it ──
    sign_in(staff, url)
    choose(staff, t("staff.table", LANG), table_option("events"))
    with staff.expect_download() as download:
        staff.get_by_role("button", name=t("staff.template_csv", LANG)).click()
    assert download.value.suggested_filename == "events.csv"
    template = download.value.path().read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(template))
    assert reader.fieldnames == list(TABLES["events"].columns)  # the 12 columns of the issue
    shipped_events = list(reader)
    assert [r["event_id"] for r in shipped_events] == [SHIPPED_ID]
    events_file = as_csv(reader.fieldnames, [*shipped_events, NEW_EVENT]).encode("utf-8")
    upload_and_confirm(
        staff, "events", events_file, 1, [NEW_EVENT["title_zh"]], "walkthrough-data-zh-1440-preview"
    )

    choose(staff, t("staff.table", LANG), table_option("projects"))
    header, projects = rows(data, "projects")
    reported = next(p for p in projects if p["provenance"] == "reported")
    added = [
        {
            **reported,
            "project_id": pid,
            "name_zh": zh,
            "name_en": en,
            "signed_on": NEW_EVENT["held_on"],
            "event_id": NEW_EVENT["event_id"],
            "source": NEW_EVENT["source"],
            "source_en": NEW_EVENT["source_en"],
        }
        for pid, zh, en in NEW_PROJECTS
    ]
    upload_and_confirm(
        staff,
        "projects",
        as_csv(header, projects + added).encode("utf-8"),
        len(projects),
        NEW_NAMES,
    )

    # what the pages should now say, from the data the staff wrote
    ds = visible_dataset(data)
    newest = events.newest(ds["events"])
    assert newest[Event.event_id] == NEW_EVENT["event_id"]
    line = events.line(newest, LANG)
    assert line == "2026年3月18日 · 武汉 · 测试招商推介会"
    glance = events.glance(ds, LANG)
    signed = [k.value for k in glance.kpis]
    assert signed == ["5个", "约12亿元"]  # the event's own row: 5 projects, about CNY 1.2 bn
    title, script = events.tour_words(ds, LANG)

    # ── a fresh visitor meets the new event first ──
    with visitor(chromium) as page:
        visit(page, f"{url}/signings?lang={LANG}")
        expect(lede(page)).to_have_text(line)
        expect(figures(page, "signings")).to_have_text(signed)
        expect(figures(page, "known")).to_have_text([k.value for k in glance.counts])
        assert [k.value for k in glance.counts][:2] == ["2", "3"]  # 2 named of 5, 3 not named
        labels = [e.label for e in events.timeline(ds, LANG)]
        expect(timeline(page)).to_have_text(labels)  # both events, newest first
        assert labels[0].startswith(line) and labels[1].startswith("2025年9月23日 · 上海")
        page.get_by_text(glance.summary, exact=True).wait_for()
        b.screenshot(page, "walkthrough-signings-zh-1440-new-event")
        rerun(page, timeline(page).nth(1).click)  # the visitor picks the earlier event …
        named = re.compile(f"[?&]event={SHIPPED_ID}(&|$)")
        expect(page).to_have_url(named)  # … and the link names it
        expect(lede(page)).to_have_text(events.line(events.chosen(ds, SHIPPED_ID), LANG))

        visit(page, f"{url}/?lang={LANG}")
        expect(lede(page)).to_have_text(events.lede(newest, LANG))
        assert events.lede(newest, LANG).startswith("2026年3月18日，测试招商推介会在武汉举办，5个")
        assert leading(page, "overview", 2) == signed
        assert leading(page, "overview", 2, "label") == [
            t("event.signed", LANG),
            t("event.amount", LANG),
        ]
        assert NEW_EVENT["source"] in leading(page, "overview", 1, "source")[0]

        visit(page, f"{url}{tour.step_url(SIGNINGS_STEP, LANG)}")
        page.get_by_text(script).wait_for()
        bar = main_text(page)
        assert title in bar and script in bar
        assert "2026年3月18日在武汉，5 个" in script and "约12亿元" in script

        visit(page, f"{url}/updates?lang={LANG}")
        items = update_items(page, 2)  # newest first: the projects, then the event
        when = {name: history(data, name)[-1].when for name in ("events", "projects")}
        assert items[0].startswith(
            f"{updates.day(when['projects'], LANG)} · {t('staff.table.projects', LANG)}"
        )
        assert counts(added=2) in items[0] and came(NEW_NAMES) in items[0]
        assert items[1].startswith(
            f"{updates.day(when['events'], LANG)} · {t('staff.table.events', LANG)}"
        )
        assert counts(added=1) in items[1] and came([NEW_EVENT["title_zh"]]) in items[1]
        page.get_by_text(
            t("updates.footer", LANG, date=updates.day(when["events"], LANG))
        ).wait_for()
        check_no_staff_traces(page)
        assert page.offsite == []

    # ── staff: restore projects first (events may not drop an event projects point to) ──
    restore_before_walkthrough(staff, data, "projects", NEW_NAMES)
    restore_before_walkthrough(staff, data, "events", [NEW_EVENT["title_zh"]])
    for name in ("events", "projects"):
        assert (data / f"{name}.csv").read_bytes() == (
            DEFAULT_DATA_DIR / f"{name}.csv"
        ).read_bytes()
    b.screenshot(staff, "walkthrough-data-zh-1440-restored")

    # ── a fresh visitor sees the shipped event again, and what was undone ──
    shipped = visible_dataset(data)
    first = events.newest(shipped["events"])
    assert first[Event.event_id] == SHIPPED_ID
    with visitor(chromium) as page:
        visit(page, f"{url}/signings?lang={LANG}")
        expect(lede(page)).to_have_text(events.line(first, LANG))
        expect(figures(page, "signings")).to_have_text(["23个", "超67亿元"])
        assert page.locator("[data-testid=stRadio]").count() == 0  # one event: no timeline
        assert "event=" not in page.url

        visit(page, f"{url}/?lang={LANG}")
        expect(lede(page)).to_have_text(events.lede(first, LANG))
        assert leading(page, "overview", 2) == ["23个", "超67亿元"]

        visit(page, f"{url}{tour.step_url(SIGNINGS_STEP, LANG)}")
        page.get_by_text(events.tour_words(shipped, LANG)[1]).wait_for()

        visit(page, f"{url}/updates?lang={LANG}")
        items = update_items(page, 4)
        log = {name: history(data, name) for name in ("events", "projects")}
        imported = {name: next(e.when for e in log[name] if e.action == "import") for name in log}
        restored_events, restored_projects, imported_projects, imported_events = items
        assert restored_events.startswith(
            f"{updates.day(log['events'][-1].when, LANG)} · {t('staff.table.events', LANG)}"
        )
        assert t("updates.restored", LANG, date=updates.day(imported["events"], LANG)) in (
            restored_events
        )
        assert counts(removed=1) in restored_events
        assert went([NEW_EVENT["title_zh"]]) in restored_events
        assert t("staff.table.projects", LANG) in restored_projects
        assert t("updates.restored", LANG, date=updates.day(imported["projects"], LANG)) in (
            restored_projects
        )
        assert counts(removed=2) in restored_projects
        assert went(NEW_NAMES) in restored_projects
        for undone in (imported_projects, imported_events):
            assert t("updates.undone", LANG) in undone
        assert t("updates.undone", LANG) not in restored_events + restored_projects
        check_no_staff_traces(page)
        b.screenshot(page, "walkthrough-updates-zh-1440-restored")
        assert page.offsite == []
    assert staff.offsite == []
