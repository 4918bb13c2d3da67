"""Issue 25 on the running app: with the shipped event the signings page, the overview and the tour
read as they always did; a second event added through the importer leads them, and `event=` in the
link picks one (the logic without the app: tests/unit/test_events.py)."""

from __future__ import annotations

import re

import pytest

from shahu.content import tour
from shahu.content.downloads import brief_html
from shahu.core.i18n import t
from shahu.ui.state import EVENT_KEY
from tests.helpers import (
    as_csv,
    button,
    figures,
    open_link,
    page_lede,
    qp,
    rows,
    sign_in,
    snapshot,
    staff_page,
    visible_texts,
)
from tests.unit.test_events import NEWER, SHIPPED, add_newer, visible, with_event

LINES = {  # the catalogue's old `signings.event`, now the event's row
    "zh": "2025年9月23日 · 上海 · “沙湖碳心·沪链未来”2025年湖北省武汉市“双碳”产业招商推介会",
    "en": "23 September 2025 · Shanghai · “沙湖碳心·沪链未来” (Sha Lake carbon heart, "
    "Shanghai-linked future), the 2025 Wuhan dual-carbon investment event",
}
LEDES = {  # the overview's opening line: the old one, with the event's own title
    "zh": "2025年9月23日，“沙湖碳心·沪链未来”2025年湖北省武汉市“双碳”产业招商推介会在上海举办，"
    "23个“双碳”产业项目签约落地武昌区。",
    "en": "On 23 September 2025 in Shanghai, 23 dual-carbon projects signed to land in Wuchang "
    "District, Wuhan, at “沙湖碳心·沪链未来” (Sha Lake carbon heart, Shanghai-linked future), "
    "the 2025 Wuhan dual-carbon investment event.",
}
SIGNED = {"zh": ("23个", "超67亿元"), "en": ("23", "over CNY 6.7 bn")}


def bar(at) -> str:
    """The presenter's bar: step n of 8 · title, then the script."""
    return at.markdown[0].value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_the_shipped_event_the_pages_read_as_before(lang):
    signings = open_link("signings", lang=lang)
    assert not signings.exception
    assert page_lede(signings) == [LINES[lang]]
    assert not signings.radio  # one event: no timeline, no empty chrome
    assert tuple(f.value for f in figures(signings, "signings")) == SIGNED[lang]
    assert qp(signings, EVENT_KEY) is None  # nothing added to the link either

    overview = open_link("", lang=lang)
    assert page_lede(overview) == [LEDES[lang]]
    shown = figures(overview, "overview")
    assert tuple(f.value for f in shown[:2]) == SIGNED[lang]
    assert shown[0].label == t("event.signed", lang)
    assert ("长江日报 2025-09" if lang == "zh" else "Changjiang Daily, 2025-09") in shown[0].source
    assert [f.label for f in shown].count(t("event.signed", lang)) == 1  # once, not twice

    stage = open_link("signings", **tour.step_target(3, lang)[1])
    expected = {
        "zh": "23 个签约项目**  \n2025年9月23日在上海，23 个“双碳”产业项目签约落地武昌，"
        "预计带动碳投资超67亿元。",
        "en": "23 signed projects**  \nOn 23 September 2025 in Shanghai, 23 dual-carbon "
        "projects signed to land in Wuchang, expected to bring over CNY 6.7 bn of carbon "
        "investment.",  # the catalogue's old script, word for word
    }[lang]
    assert bar(stage).endswith(expected), bar(stage)


def test_a_second_event_leads_the_pages_and_the_link_picks_one(data_dir):
    add_newer(data_dir)
    line = "18 March 2026 · Wuhan · Test investment event"

    at = open_link("signings", lang="en")
    assert not at.exception
    assert page_lede(at) == [line]  # opens on the newest reported event
    timeline = at.radio(key=EVENT_KEY)
    assert timeline.options[0].startswith(line) and len(timeline.options) == 2  # newest first
    assert timeline.value == NEWER["event_id"]
    assert tuple(f.value for f in figures(at, "signings")) == ("12", "about CNY 3 bn")
    texts = " ".join(visible_texts(at))
    assert "12 projects signed · 2 named in public · 10 not named in the reports we cite" in texts

    at.radio(key=EVENT_KEY).set_value(SHIPPED).run()  # the visitor chooses the earlier one
    assert page_lede(at) == [LINES["en"]] and qp(at, EVENT_KEY) == SHIPPED
    assert tuple(f.value for f in figures(at, "signings")) == SIGNED["en"]

    linked = open_link("signings", lang="zh", event=SHIPPED)  # a shared link opens that event
    assert page_lede(linked) == [LINES["zh"]] and linked.radio(key=EVENT_KEY).value == SHIPPED
    assert qp(linked, EVENT_KEY) == SHIPPED
    stale = open_link("signings", lang="en", event="no-such-event")  # an old link: the newest
    assert not stale.exception and page_lede(stale) == [line]

    overview = open_link("", lang="zh")
    assert page_lede(overview) == [
        "2026年3月18日，测试招商推介会在武汉举办，12个“双碳”产业项目签约落地武昌区。"
    ]
    shown = figures(overview, "overview")
    assert [f.value for f in shown[:2]] == ["12个", "约30亿元"]
    assert "测试来源 2026-03" in shown[0].source

    stage = open_link("signings", **tour.step_target(3, "en")[1])
    assert "12 signed projects" in bar(stage) and "18 March 2026 in Wuhan" in bar(stage)


def test_the_brief_names_the_newest_event(data_dir):
    add_newer(data_dir)
    at = open_link("", lang="en")
    assert not at.exception
    brief = brief_html(visible(data_dir), "en")
    assert "On 18 March 2026 in Wuhan, 12 dual-carbon projects signed" in brief
    assert "Test investment event" in brief


def test_staff_import_events_on_the_data_page_refused_then_written(data_dir):
    """The staff's path for events: picked by name, a bad file refused with row, column and what
    to do (and nothing written), a good one previewed, confirmed, and the visitors' page follows."""
    at = sign_in(staff_page("zh"), "zh")
    at.selectbox(key="staff_table").set_value("events").run()
    header, records = rows(data_dir, "events")
    bad = as_csv(header, [{**records[0], "projects_signed": "4"}]).encode()
    before = snapshot(data_dir)
    at = at.file_uploader[0].set_value(("活动.csv", bad, "text/csv")).run()
    [problems] = [x.value.map(lambda s: re.sub(r"\\(.)", r"\1", str(s))) for x in at.table]
    row = problems.iloc[0].tolist()
    assert row[:3] == ["2", "projects_signed", "4"]
    assert row[3] == t("problem.signed_below_listed", "zh", n=5)
    assert snapshot(data_dir) == before

    at = at.file_uploader[0].set_value(("活动.csv", with_event(data_dir), "text/csv")).run()
    at = button(at, "staff.confirm", "zh").click().run()
    assert not at.exception
    assert NEWER["event_id"] in (data_dir / "events.csv").read_text(encoding="utf-8")
    visitor = open_link("signings", lang="en")
    assert page_lede(visitor) == ["18 March 2026 · Wuhan · Test investment event"]
