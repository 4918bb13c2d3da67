"""The page list is written once, and the one Streamlit workaround still targets what it should."""

from __future__ import annotations

import inspect

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from shahu.content import tour
from shahu.core import sitemap
from shahu.core.i18n import CATALOGUE
from shahu.core.paths import ROOT


def test_every_page_file_is_in_the_site_map_and_every_entry_exists():
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert {p.file for p in sitemap.PAGES} == files
    assert all(p.title_key in CATALOGUE for p in sitemap.PAGES)
    assert [p.key for p in sitemap.PAGES].count("") == 1  # one default page at "/"


def test_every_page_but_the_default_is_at_its_file_name():
    """AppTest finds a page by its file name before a first run, Streamlit by its URL key: the
    tests open a page in one run (`tests.helpers.fresh_app`) while the two agree."""
    for page in sitemap.PAGES:
        assert not page.key or page.file == f"pages/{page.key}.py", page.key


def test_every_tab_has_its_label_in_both_languages_and_a_filtered_tab_is_a_tab():
    for page, part in sitemap.tabs():
        if part:
            entry = CATALOGUE[f"section.{page.key}.{part}"]
            assert entry["zh"] and entry["en"], (page.key, part)
    for page in sitemap.PAGES:
        assert page.filtered_section in (None, *page.sections[1:]), page.key
    for step in tour.STEPS:
        assert step.params.get("section") in (None, *sitemap.page(step.page).sections)


def test_tour_steps_open_pages_of_the_site_map():
    for index, step in enumerate(tour.STEPS):
        page, params = tour.step_target(index, "en")
        assert page is sitemap.page(step.page)
        assert tour.step_url(index, "en").startswith(page.url + "?")
        assert params["step"] == str(index + 1) and params["present"] == "1"


def test_the_legacy_multipage_flag_still_exists_and_still_decides():
    """`ui.navigation.leave_legacy_multipage` flips this flag. If Streamlit renames it or stops
    reading it, deep links to a fresh server would run pages without app.py again: look again."""
    assert "uses_pages_directory" in vars(PagesManager)
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner)
