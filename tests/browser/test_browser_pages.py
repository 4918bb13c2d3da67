"""Every page, both languages, desktop and phone: drawn, no error, nothing off-site, no overflow."""

from __future__ import annotations

import pytest

from harness import browser as b
from shahu.core import sitemap
from shahu.core.i18n import t

# the pages without tabs but the map (pages with tabs: test_browser_investor.py; the map:
# test_browser_map.py)
PAGES = {(p.key or "overview"): p.url for p in sitemap.PAGES if not p.sections and p.key != "map"}


@pytest.mark.parametrize("width", [1440, 390])
def test_pages_render_in_both_languages(app_url, chromium, width):
    context = chromium.new_context(
        viewport={"width": width, "height": 1000 if width > 800 else 844}
    )
    attempts = b.block_offsite(context)
    page = context.new_page()
    for lang in ("zh", "en"):
        for name, path in PAGES.items():
            page.goto(f"{app_url}{path}?lang={lang}")
            b.wait_for_app(page)
            assert page.locator("[data-testid=stException]").count() == 0, (name, lang)
            assert page.locator("h1").first.inner_text().strip()
            if sitemap.page(name).sections:
                page.locator(".js-plotly-plot").first.wait_for()
            overflow = page.evaluate(
                "() => document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, (name, lang, overflow)
            b.screenshot(page, f"{name}-{lang}-{width}")
    assert attempts == []
    context.close()


def test_downloads_are_built_on_click(app_url, chromium):
    """The table downloads (built lazily, on click) arrive as Excel-ready CSV and .xlsx."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    b.block_offsite(context)
    page = context.new_page()
    page.goto(f"{app_url}/signings?lang=zh&section=table")
    b.wait_for_app(page)
    got = {}
    for label in ("下载 CSV", "下载 Excel"):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).first.click()
        got[download.value.suggested_filename] = download.value.path().read_bytes()
    csv_bytes = got["shahu-projects-zh.csv"]
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and "“双碳科技+金融”服务平台" in csv_bytes.decode(
        "utf-8-sig"
    )
    assert got["shahu-projects-zh.xlsx"].startswith(b"PK\x03\x04")
    context.close()


def test_a_deep_link_to_a_fresh_server_opens_through_app_py(chromium, tmp_path):
    """The first visitor after a start opens /signings directly (the link on a slide): the page
    comes framed by app.py (our navigation, sidebar), never Streamlit's legacy page list."""
    with b.streamlit_server() as url:
        context = chromium.new_context(viewport={"width": 1440, "height": 900})
        b.block_offsite(context)
        page = context.new_page()
        page.goto(f"{url}/signings?lang=en")
        b.wait_for_app(page)
        page.locator("h1").first.wait_for()
        assert page.locator("h1").first.inner_text().strip() == t("signings.title", "en")
        nav = [
            x.split("\n")[-1]
            for x in page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
        ]
        assert nav == [t(p.title_key, "en") for p in sitemap.PAGES if not p.staff]
        context.close()


# the pages with headline figures (not the map, nor the data updates list)
FIGURE_PAGES = [p.url for p in sitemap.PAGES if not p.staff and p.key not in ("map", "updates")]
CUT_FIGURES = """() => [...document.querySelectorAll(
  '[data-testid=stMetricValue] > div, [data-testid=stMetricLabel] [data-testid=stMarkdownContainer],'
  + ' .shahu-kpi p')]
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


def test_headline_figures_are_never_cut_on_a_phone(app_url, chromium):
    """Two cards to a row on a phone: a long value (“Amounts not disclosed”) wraps, never
    ends in the middle of a word."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    b.block_offsite(context)
    page = context.new_page()
    for lang in ("zh", "en"):
        for path in FIGURE_PAGES:
            page.goto(f"{app_url}{path}?lang={lang}")
            b.wait_for_app(page)
            page.locator(".shahu-kpi-value").first.wait_for()
            page.locator("[data-testid=stSkeleton]").first.wait_for(state="detached")
            assert page.evaluate(CUT_FIGURES) == [], (path, lang)
    context.close()
