"""The map draws with the network unplugged, in both languages, at desktop and phone widths."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from harness import browser as b
from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_DATA_DIR
from shahu.map.points import clicked_building

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_page_draws_offline(app_url, offline_page, lang):
    page = offline_page
    page.goto(f"{app_url}/map?lang={lang}")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)

    leaflet_loaded = frame.locator("body").evaluate("() => typeof L === 'object' && !!L.version")
    assert leaflet_loaded
    height = frame.locator(".leaflet-container").evaluate("el => el.clientHeight")
    assert height > 300
    # six buildings, each drawn with a permanent name label
    assert frame.locator(".leaflet-tooltip.shahu-label").count() == 6
    assert page.offsite == [], f"tried to leave localhost: {page.offsite[:5]}"
    assert page.locator("[data-testid=stException]").count() == 0
    b.screenshot(page, f"map-{lang}-1440")


def test_the_map_draws_behind_a_path_prefix(tmp_path, offline_page):
    """Served at https://example.org/shahu/ behind a proxy (DEPLOY.md: `server.baseUrlPath`), the
    map's frame still finds Leaflet: its scripts are asked for under the prefix, not at the root."""
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    page = offline_page
    missing = []
    page.on(
        "response",
        lambda r: missing.append(r.url) if "/vendor/" in r.url and r.status >= 400 else None,
    )
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data)}, base_path="shahu") as url:
        page.goto(f"{url}/map?lang=en")
        b.wait_for_app(page)
        frame = b.wait_for_map(page)
        assert frame.locator(".leaflet-tooltip.shahu-label").count() == 6
    assert missing == []
    assert page.offsite == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_page_offline(app_url, offline_page, lang):
    page = offline_page
    page.goto(f"{app_url}/?lang={lang}")
    b.wait_for_app(page)
    b.wait_for_map(page)
    assert page.locator(".shahu-kpi").count() == 8  # the headline figures, each with its source
    assert page.offsite == []
    b.screenshot(page, f"overview-{lang}-1440")


def test_a_printed_map_has_no_zoom_buttons(app_url, offline_page):
    page = offline_page
    page.goto(f"{app_url}/map?lang=en")
    b.wait_for_app(page)
    zoom = b.wait_for_map(page).locator(".leaflet-control-zoom")
    expect(zoom).to_be_visible()
    page.emulate_media(media="print")
    expect(zoom).to_be_hidden()
    page.emulate_media(media="screen")
    expect(zoom).to_be_visible()


def test_map_on_phone(app_url, phone_page):
    page = phone_page
    page.goto(f"{app_url}/map?lang=zh")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    width = frame.locator(".leaflet-container").evaluate("el => el.clientWidth")
    assert 200 < width <= 390
    assert page.offsite == []
    b.screenshot(page, "map-zh-390")


MAP_STATE = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const box = map.getContainer().getBoundingClientRect();
  const belt = document.querySelector('.leaflet-overlay-pane path[stroke-dasharray]').getBoundingClientRect();
  return {
    zoom: map.getZoom(), animating: !!map._animatingZoom, width: map.getSize().x,
    boxWidth: Math.round(box.width),
    // scale(1) is what Leaflet leaves after a non-animated zoom change: not scaled
    scaled: /scale\\((?!1\\))/.test(document.querySelector('.leaflet-overlay-pane svg').style.transform),
    beltInside: belt.left >= box.left && belt.right <= box.right
      && belt.top >= box.top && belt.bottom <= box.bottom,
  };
}"""
SIZE_SEEN = (
    "w => { const m = Object.values(window).find(v => v instanceof L.Map); "
    "return m.getContainer().clientWidth !== w && m.getSize().x === m.getContainer().clientWidth; }"
)


def test_the_belt_is_framed_at_once_and_again_on_resize_until_the_visitor_moves_the_map(
    app_url, offline_page
):
    """No zoom animation on load; a new size reframes; after a touch the visitor's view stays."""
    page = offline_page
    page.goto(f"{app_url}/map?lang=zh")
    b.wait_for_app(page)
    b.wait_for_map(page)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    first = frame.evaluate(MAP_STATE)
    assert not first["animating"] and not first["scaled"], first
    assert first["beltInside"] and first["width"] == first["boxWidth"]

    page.set_viewport_size({"width": 900, "height": 1000})
    frame.wait_for_function(SIZE_SEEN, arg=first["width"])
    narrow = frame.evaluate(MAP_STATE)
    assert narrow["zoom"] < first["zoom"] and narrow["beltInside"], narrow

    frame.locator(".leaflet-container").dispatch_event("pointerdown")
    page.set_viewport_size({"width": 1440, "height": 1000})
    frame.wait_for_function(SIZE_SEEN, arg=narrow["width"])
    assert frame.evaluate(MAP_STATE)["zoom"] == narrow["zoom"]


LABELS_CLEAR = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const control = document.querySelector('.leaflet-control-layers').getBoundingClientRect();
  const labels = Array.from(document.querySelectorAll('.shahu-label'))
    .map(el => el.getBoundingClientRect());
  const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return labels.length === 6 && labels.every(r => r.left >= box.left && r.right <= box.right
    && r.top >= box.top && r.bottom <= box.bottom && !hits(r, control));
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_every_building_name_fits_on_the_map_in_english(app_url, chromium, width):
    """The longest names are English ones; none runs off the map or under the layer switch."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    b.block_offsite(context)
    page = context.new_page()
    page.goto(f"{app_url}/map?lang=en")
    b.wait_for_app(page)
    b.wait_for_map(page)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    frame.wait_for_function(LABELS_CLEAR, timeout=10_000)
    context.close()


BADGE_SETTLED = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  return Array.from(document.querySelectorAll('.shahu-cluster .count')).some(el => {
    const r = el.getBoundingClientRect();
    return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
  });
}"""


MAP_READS = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const controls = Array.from(document.querySelectorAll('.leaflet-control'))
    .map(el => el.getBoundingClientRect());
  const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const inside = r => r.left >= box.left && r.right <= box.right && r.top >= box.top
    && r.bottom <= box.bottom;
  const badges = Array.from(document.querySelectorAll('.shahu-cluster .count')).map(el => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {text: el.textContent, inside: inside(r), seen: !!top && (top === el || el.contains(top))};
  });
  const roads = Array.from(document.querySelectorAll('.shahu-road'))
    .filter(el => el.style.display !== 'none')
    .map(el => ({key: el.classList.contains('key'), text: el.textContent,
                 rect: el.firstChild.getBoundingClientRect()}))
    .map(r => ({key: r.key, text: r.text, clear: inside(r.rect)
                && !controls.some(c => hits(r.rect, c))}));
  return {
    badges, roads,
    attribution: document.querySelector('.leaflet-control-attribution').textContent,
    flag: !!document.querySelector('.leaflet-control-attribution svg'),
    scale: Array.from(document.querySelectorAll('.leaflet-control-scale-line'))
      .map(el => el.textContent),
  };
}"""


@pytest.mark.parametrize("lang, width", [("zh", 1440), ("en", 1440), ("zh", 390), ("en", 390)])
def test_cluster_counts_road_names_scale_and_credit_are_readable(app_url, chromium, lang, width):
    """Cluster counts sit on top (not under a building marker); every road name shown is whole
    and clear of the controls, 中北路 named on a desktop screen; a metric scale; OSM credited."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    b.block_offsite(context)
    page = context.new_page()
    page.goto(f"{app_url}/map?lang={lang}")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    frame.locator(".shahu-cluster .count").first.wait_for()
    map_doc = next(f for f in page.frames if "st_folium" in f.url)
    map_doc.wait_for_function(BADGE_SETTLED, timeout=10_000)  # framed: the view stopped moving
    seen = map_doc.evaluate(MAP_READS)

    counts = [badge for badge in seen["badges"] if badge["inside"]]
    assert counts and all(c["text"].isdigit() and c["seen"] for c in counts), seen["badges"]
    assert all(r["clear"] for r in seen["roads"]), seen["roads"]
    if width == 1440:  # on a phone the framed view has no room for names along 中北路
        key = [r["text"] for r in seen["roads"] if r["key"]]
        assert key == ["中北路" if lang == "zh" else "Zhongbei Road"], seen["roads"]
    assert "© OpenStreetMap contributors" in seen["attribution"] and not seen["flag"]
    assert len(seen["scale"]) == 1 and re.fullmatch(r"\d+ k?m", seen["scale"][0]), seen["scale"]
    b.screenshot(page, f"map-readable-{lang}-{width}")
    context.close()


ZOOM = "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"


CLICKED = """() => ({last_object_clicked: window.__GLOBAL_DATA__.last_object_clicked,
  last_object_clicked_tooltip: window.__GLOBAL_DATA__.last_object_clicked_tooltip})"""


def test_a_click_on_a_cluster_zooms_in_and_selects_no_building(app_url, offline_page, shipped):
    """The badge sits on 碳汇大厦: clicking it zooms in; what the page is told is no building.
    A click on the building's own marker still selects it. (With sample rows shown: their
    markers make the six at 碳汇大厦.)"""
    page = offline_page
    page.goto(f"{app_url}/map?lang=zh&samples=1")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    inner = next(f for f in page.frames if "st_folium" in f.url)
    before = inner.evaluate(ZOOM)
    frame.locator(".shahu-cluster .count").filter(has_text="6").click()
    inner.wait_for_function(f"() => ({ZOOM})() > {before}")
    assert clicked_building(shipped, inner.evaluate(CLICKED), "zh") is None
    assert page.get_by_placeholder(t("map.pick_placeholder", "zh")).is_visible()  # none chosen
    assert "building=" not in page.url

    frame.locator(".shahu-building").first.wait_for()
    names = frame.locator(".shahu-label").all_inner_texts()
    frame.locator(".shahu-building").nth(names.index("碳汇大厦")).click()
    page.wait_for_url("**building=tanhui**")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_in_presenter_mode_the_map_fills_the_screen_with_every_building_on_it(
    app_url, chromium, lang
):
    """At 1440×900 the whole map is on screen under the tour bar (no scrolling), 碳汇大厦 on it,
    and the names are enlarged for a projector."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    b.block_offsite(context)
    page = context.new_page()
    page.goto(f"{app_url}/map?present=1&step=2&building=tanhui&lang={lang}")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    box = page.locator(b.MAP_FRAME).bounding_box()
    assert box["y"] + box["height"] <= 900 and box["height"] >= 500, box
    inner = next(f for f in page.frames if "st_folium" in f.url)
    inner.wait_for_function(LABELS_CLEAR.replace("labels.length === 6 &&", ""), timeout=10_000)
    size = frame.locator(".shahu-label").first.evaluate("el => getComputedStyle(el).fontSize")
    assert float(size.removesuffix("px")) >= 18
    b.screenshot(page, f"map-present-{lang}-1440")
    context.close()


NAMES_CLEAR_OF_CONTROLS = """() => {
  const controls = Array.from(document.querySelectorAll('.leaflet-control'))
    .map(el => el.getBoundingClientRect());
  const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return Array.from(document.querySelectorAll('.shahu-label'))
    .filter(el => controls.some(c => hits(el.getBoundingClientRect(), c)))
    .map(el => el.textContent);
}"""


@pytest.mark.parametrize(("width", "height", "folded"), [(1280, 720, True), (1920, 1080, False)])
def test_on_a_short_projector_the_legend_folds_and_no_name_is_under_a_control(
    app_url, chromium, width, height, folded
):
    """At 1280×720 the open legend covered the step's own building name ("bon Sink Building"):
    on a map under 600 px in presenter mode it opens folded to its title, one click from open."""
    context = chromium.new_context(viewport={"width": width, "height": height})
    b.block_offsite(context)
    page = context.new_page()
    page.goto(f"{app_url}/map?present=1&step=2&building=tanhui&lang=en")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    legend = frame.locator("details.shahu-legend")
    inner = next(f for f in page.frames if "st_folium" in f.url)
    inner.wait_for_function(LABELS_CLEAR.replace("labels.length === 6 &&", ""), timeout=10_000)
    assert legend.evaluate("el => el.open") is not folded
    assert inner.evaluate(NAMES_CLEAR_OF_CONTROLS) == []
    b.screenshot(page, f"map-present-en-{width}")
    if folded:
        legend.locator("summary").click()
        expect(frame.get_by_text("Carbon industry")).to_be_visible()
    context.close()


BADGE_LOOK = """el => { const s = getComputedStyle(el);
  return {name: el.getAttribute('aria-label') || '', text: el.textContent,
          border: s.borderTopStyle, hatch: s.backgroundImage}; }"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_samples_on_a_cluster_holding_sample_rows_is_marked(app_url, offline_page, lang):
    """A badge that groups sample rows is dashed and hatched grey and says "sample" to a screen
    reader; with samples off no badge is marked (there is nothing to mark)."""
    page = offline_page
    page.goto(f"{app_url}/map?lang={lang}&samples=1")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    badge = frame.locator(".shahu-cluster.sample .count").first
    badge.wait_for()
    look = badge.evaluate(BADGE_LOOK)
    assert look["border"] == "dashed" and "repeating-linear-gradient" in look["hatch"], look
    assert look["text"].isdigit()
    assert look["name"].startswith(f"{look['text']} ")
    assert ("示例" if lang == "zh" else "sample rows") in look["name"]
    assert frame.get_by_text(t("polish.legend_sample_cluster", lang)).is_visible()
    b.screenshot(page, f"map-sample-clusters-{lang}-1440")

    page.goto(f"{app_url}/map?lang={lang}")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    frame.locator(".shahu-cluster .count").first.wait_for()
    assert frame.locator(".shahu-cluster.sample").count() == 0
