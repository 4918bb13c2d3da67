"""Signings, sectors and finance in headless Chromium: both languages, desktop and phone, offline."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from harness import browser as b
from shahu.content.tables import building_link
from shahu.core import sitemap
from shahu.core.i18n import t

PAGES = [p.key for p in sitemap.PAGES if p.sections]  # signings, sectors, finance
VIEWPORTS = {1440: 2600, 390: 5200}  # tall enough that a screenshot shows the whole page
CHARTS = {  # the tabs with charts; samples off: only what is known
    ("signings", "charts"): 1,
    ("sectors", "projects"): 1,
    ("finance", "market"): 1,
    ("finance", "calculator"): 1,
}
DRAWN = "g.point, g.slice, path.js-line"  # bars, sunburst slices, lines
OVERFLOW = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const charts = [...document.querySelectorAll('.js-plotly-plot')]
    .map(c => c.getBoundingClientRect().right - window.innerWidth);
  return Math.max(main.scrollWidth - main.clientWidth, ...charts);
}"""


def test_investor_pages_in_both_languages_on_desktop_and_phone(app_url, chromium):
    """Every tab of every page, opened by clicking it: its part is drawn, the link names it."""
    for width, height in VIEWPORTS.items():
        context = chromium.new_context(viewport={"width": width, "height": height})
        offsite = b.block_offsite(context)
        page = context.new_page()
        for lang in ("zh", "en"):
            for name in PAGES:
                page.goto(f"{app_url}/{name}?lang={lang}")
                b.wait_for_app(page)
                for i, part in enumerate(sitemap.page(name).sections):
                    where = (name, part, lang, width)
                    if i:
                        page.get_by_role("tab", name=t(f"section.{name}.{part}", lang)).click()
                        expect(page).to_have_url(re.compile(rf"[?&]section={part}(&|$)"))
                        b.wait_for_app(page)
                    assert page.locator("[data-testid=stException]").count() == 0, where
                    assert page.get_by_text(t("app.error", lang)).count() == 0, where
                    h1 = page.locator("h1").first.inner_text().strip()
                    assert h1 == t(f"{name}.title", lang), where
                    selected = page.get_by_role("tab", selected=True).inner_text().strip()
                    assert selected == t(f"section.{name}.{part}", lang), where
                    charts = page.locator(".js-plotly-plot")
                    if n := CHARTS.get((name, part), 0):
                        charts.nth(n - 1).locator(DRAWN).first.wait_for()  # plotly loads lazily
                    assert charts.count() == n, where
                    for j in range(n):
                        assert charts.nth(j).locator(DRAWN).count() > 0, (*where, j)  # not empty
                    assert page.evaluate(OVERFLOW) <= 1, where  # nothing sticks out sideways
                    b.screenshot(page, f"investor-{name}-{part}-{lang}-{width}")
                first = sitemap.page(name).sections[0]  # and back: the link names it from now on
                page.get_by_role("tab", name=t(f"section.{name}.{first}", lang)).click()
                expect(page).to_have_url(re.compile(rf"[?&]section={first}(&|$)"))
                expect(page.get_by_role("tab", selected=True)).to_have_text(
                    t(f"section.{name}.{first}", lang)
                )
        if width == 1440:
            check_building_link_opens_the_map_card(context, page, app_url)
        assert offsite == [], offsite
        context.close()


def check_building_link_opens_the_map_card(context, page, app_url) -> None:
    """The table's building link (a new tab, so a new session) opens that card, same filters,
    and with sample rows still shown (the carbon-finance rows are all samples so far)."""
    page.goto(f"{app_url}/signings?lang=en&sector=carbon_finance&samples=1&section=table")
    b.wait_for_app(page)
    banner = t("filters.active", "en", n=7, total=23)
    expect(page.locator("[data-testid=stMain]").get_by_text(banner)).to_have_count(1)
    card = context.new_page()
    params = {"sector": "carbon_finance", "samples": "1"}
    card.goto(f"{app_url}{building_link('tanhui', 'x', 'en', params)}")
    b.wait_for_app(card)
    assert card.locator("h4").first.inner_text() == "Carbon Sink Building (Tanhui Tower)"
    expect(card.locator("[data-testid=stMain]").get_by_text(banner)).to_have_count(1)
    expect(card.get_by_text(t("truth.banner", "en"))).to_have_count(1)  # a rerun may be drawing
    card.close()
