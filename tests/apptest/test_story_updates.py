"""Issue 25, deliverables 3 and 4 in AppTest: the overview's story from story.csv, a staff import
that changes it, the “Data updates” page, and the footer under every page."""

from __future__ import annotations

import pytest

from shahu.content import updates
from shahu.core import sitemap
from shahu.core.i18n import t
from shahu.data.history import history
from tests.accounts import ACCOUNTS
from tests.helpers import (
    PAGES,
    assert_clean,
    button,
    edited,
    page_title,
    run_page,
    sign_in,
    staff_page,
    untranslated,
    visible_texts,
)
from tests.unit.test_story import BEFORE

UPDATES = sitemap.page("updates").file


def story_markdown(at, lang: str):
    title = f"### {t('overview.story_title', lang)}\n\n"
    [story] = [m for m in at.markdown if m.value.startswith(title)]
    return story.value.removeprefix(title), story.proto.help


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_story_reads_as_before_with_its_source(data_dir, lang):
    body, help_ = story_markdown(run_page(None, lang), lang)
    assert body == BEFORE[lang]
    assert ("长江日报 2025-09" if lang == "zh" else "Changjiang Daily, 2025-09") in help_


def import_story(data_dir, raw: bytes, lang: str = "en"):
    at = sign_in(staff_page(lang, ACCOUNTS), lang)
    at.selectbox(key="staff_table").set_value("story").run()
    at = at.file_uploader[0].set_value(("story.csv", raw, "text/csv")).run()
    at = button(at, "staff.confirm", lang).click().run()
    assert_clean(at)
    return at


def test_a_staff_import_of_story_csv_changes_the_overview_and_is_listed(data_dir):
    new = "A **new** point: 2 < 3 [no link](http://x.y)."
    import_story(data_dir, edited(data_dir, "story", "goal", "text_en", new).encode())
    body, _ = story_markdown(run_page(None, "en"), "en")
    assert body.splitlines()[:3] == BEFORE["en"].splitlines()[:3]
    assert body.splitlines()[3] == "- A **new** point: 2 \\< 3 \\[no link\\](http\u2060://x.y)."
    assert story_markdown(run_page(None, "zh"), "zh")[0] == BEFORE["zh"]  # zh text unchanged

    [entry] = history(data_dir, "story")
    for lang in ("zh", "en"):
        at = run_page(UPDATES, lang)
        assert_clean(at)
        shown = "\n".join(visible_texts(at))
        assert t("staff.table.story", lang) in shown
        assert t("updates.counts", lang, added=0, changed=1, removed=0) in shown
        assert "Amy" not in shown and "story.csv" not in shown and entry.backup not in shown
        footer = t("updates.footer", lang, date=updates.day(entry.when, lang))
        assert at.main.caption[-1].value == footer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_updates_page_with_no_history_says_so(data_dir, lang):
    at = run_page(UPDATES, lang)
    assert_clean(at)
    assert untranslated(at) == []
    assert page_title(at) == t("updates.title", lang)
    assert t("updates.none", lang) in [m.value for m in at.markdown]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_ends_with_when_its_data_last_changed(data_dir, page):
    at = run_page(page, "en")
    assert_clean(at)
    assert at.main.caption[-1].value.startswith(
        t("updates.footer_none", "en", as_of="@").split("@")[0]
    )
