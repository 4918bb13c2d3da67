"""WCAG 2.2 AA in the browser: axe-core finds nothing on any page, in zh and en, presenter mode
included; charts carry a text alternative; map markers have names and take the keyboard."""

from __future__ import annotations

import pytest

from harness import browser as b
from harness.a11y import axe_violations
from shahu.content import tour
from shahu.core import sitemap
from shahu.core.i18n import t

MAPS = {"", "map"}  # pages with a map: wait for it, and check inside its frame too
TABS = [(p.key, part) for p, part in sitemap.tabs()]  # every tab of every page
IDS = [f"{key or 'overview'}-{part}" if part else key or "overview" for key, part in TABS]


def open_page(page, url: str, key: str, query: str) -> None:
    page.goto(f"{url}/{key}?{query}")
    b.wait_for_app(page)
    page.wait_for_function("!document.querySelector('[data-testid=stSkeleton]')")  # charts drawn
    if key in MAPS:
        b.wait_for_map(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("key", "part"), TABS, ids=IDS)
def test_axe_finds_no_wcag_aa_violation(app_url, offline_page, key, part, lang):
    open_page(offline_page, app_url, key, f"lang={lang}" + (f"&section={part}" if part else ""))
    found = axe_violations(offline_page)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("step", range(len(tour.STEPS)), ids=[s.key for s in tour.STEPS])
def test_axe_finds_no_wcag_aa_violation_in_presenter_mode(app_url, offline_page, step, lang):
    """Every step of the tour as the stage shows it (a part alone, or a page with its tabs)."""
    key, query = tour.step_url(step, lang).lstrip("/").split("?", 1)
    open_page(offline_page, app_url, key, query)
    found = axe_violations(offline_page)
    assert not found, "\n".join(found)


SVG_TEXT_CONTRAST = """() => {
  const lum = c => {
    const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const bad = [];
  document.querySelectorAll('[data-testid=stPlotlyChart] svg text').forEach(e => {
    if (!e.textContent.trim()) return;
    const fill = lum(getComputedStyle(e).fill);
    const inside = e.classList.contains('bartext-inside');
    const under = inside ? lum(getComputedStyle(e.closest('.point').querySelector('path')).fill) : 1;
    if (ratio(fill, under) < 4.5) bad.push(e.textContent + ' ' + getComputedStyle(e).fill);
  });
  return bad;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_has_its_takeaway_and_data_table(app_url, offline_page, lang):
    """With samples on, signings draws its three charts (counts, amounts, ranking: one date, so
    no timeline); each has its takeaway under it and its data behind a toggle."""
    page = offline_page
    open_page(page, app_url, "signings", f"lang={lang}&samples=1&section=charts")
    charts = page.locator("[data-testid=stPlotlyChart]")
    charts.nth(2).locator(".xtick").first.wait_for()  # plotly is loaded lazily
    toggles = page.get_by_text(t("alt.table", lang))
    assert charts.count() == 3 and toggles.count() == 3
    caption = page.locator("[data-testid=stCaptionContainer]").filter(
        has_text=t("truth.named_by_sector", lang) + t("truth.title_suffix", lang)
    )
    assert caption.count() == 1
    assert page.evaluate(SVG_TEXT_CONTRAST) == []  # axe does not read SVG text: we do
    toggles.first.click()
    page.locator("[data-testid=stTable]").first.wait_for()
    cells = page.locator("[data-testid=stTable]").first.inner_text()
    assert t("sector.carbon_finance", lang) in cells


def test_map_markers_have_names_and_open_their_card_from_the_keyboard(app_url, offline_page):
    page = offline_page
    open_page(page, app_url, "map", "lang=zh")
    frame = b.map_frame(page)
    building = frame.locator("path.leaflet-interactive[aria-label='碳汇大厦']")
    building.wait_for()
    assert building.get_attribute("role") == "button"
    assert building.get_attribute("tabindex") == "0"
    named = frame.locator("path.leaflet-interactive[aria-label]")
    assert named.count() == frame.locator("path.leaflet-interactive[role=button]").count() > 3
    building.focus()
    page.keyboard.press("Enter")
    frame.locator(".leaflet-popup-content", has_text="碳汇大厦").wait_for()


CONTROLS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary, [role=button], [role=slider],'
    + ' [role=tab], [role=checkbox], [role=switch], [role=combobox], [tabindex]';
  const shown = e => {
    const r = e.getBoundingClientRect();
    const hidden = e.closest('details:not([open])') && e.tagName !== 'SUMMARY';
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden' && !hidden;
  };
  // tabindex -1 is a widget's own choice (roving focus, a number field's arrows): its group or
  // field is in the tab order and the arrow keys reach the rest
  return [...document.querySelectorAll(sel)].filter(e => shown(e) && !e.disabled && e.tabIndex >= 0)
    .filter(e => !(window.__seen && window.__seen.has(e))).map(e => e.outerHTML.slice(0, 160));
}"""


@pytest.mark.parametrize(("key", "part"), TABS, ids=IDS)
def test_every_control_is_reachable_by_keyboard(app_url, offline_page, key, part):
    page = offline_page
    open_page(page, app_url, key, "lang=zh" + (f"&section={part}" if part else ""))
    page.evaluate(
        "() => { window.__seen = new Set();"
        " document.addEventListener('focusin', e => window.__seen.add(e.target), true); }"
    )
    controls = len(page.evaluate(CONTROLS.replace("window.__seen &&", "false &&")))
    inner = "() => document.querySelectorAll('a[href], button, input, [tabindex]').length"
    controls += sum(frame.evaluate(inner) for frame in page.frames[1:])  # the map's markers
    for _ in range(controls + 40):
        page.keyboard.press("Tab")
    assert page.evaluate(CONTROLS) == []
