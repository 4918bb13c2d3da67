"""Presenter mode on a real stage (issue 13): a clicker alone walks the tour, each step's subject is
on screen at 1440×900, the QR code opens the view on a phone, and a printed page is whole."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from harness import browser as b
from shahu.content import tour
from shahu.core.i18n import t
from tests.helpers import copy_data

PUBLIC = "https://shahu.example.cn/belt"
W, H = 1440, 900


@pytest.fixture(scope="module")
def stage_url(tmp_path_factory, chromium):
    """The app as the organiser configured it: a public address for the room's QR codes."""
    data = copy_data(tmp_path_factory.mktemp("stage"))
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data), "SHAHU_PUBLIC_URL": PUBLIC}) as url:
        yield url


@pytest.fixture
def stage(chromium):
    """A projector-sized page that cannot reach the internet."""
    context = chromium.new_context(viewport={"width": W, "height": H}, locale="zh-CN")
    attempts = b.block_offsite(context)
    page = context.new_page()
    page.offsite = attempts
    yield page
    context.close()


def at_step(page, n: int) -> None:
    page.wait_for_function(
        "t => document.body.innerText.includes(t)", arg=f"第 {n} / {len(tour.STEPS)} 步"
    )
    b.wait_for_app(page)
    page.wait_for_url(f"**step={n}**")


def on_screen(box: dict | None) -> bool:
    """Wholly inside the 1440×900 viewport, without scrolling."""
    return bool(box) and (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= W
        and box["y"] + box["height"] <= H
    )


def decoded(locator) -> str:
    """The text of the QR code drawn in `locator`, read back from pixels (once it is painted)."""
    locator.scroll_into_view_if_needed()
    locator.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 100",
        arg=locator.element_handle(),
    )
    settled = "() => document.getAnimations().every(a => a.playState !== 'running')"
    for _ in range(3):  # the sidebar panel may still be sliding open: read once it has settled
        locator.page.wait_for_function(settled)
        codes = zxingcpp.read_barcodes(
            Image.open(io.BytesIO(locator.screenshot(animations="disabled")))
        )
        if codes:
            break
    assert codes, "no QR code found in the picture"
    return codes[0].text


def subject(page, n: int):
    """What step `n`'s script talks about."""
    frame = b.map_frame(page)
    return {
        1: page.locator(b.MAP_FRAME),
        2: frame.get_by_text("碳汇大厦", exact=True),
        3: page.locator(".shahu-kpi").filter(has_text="沙湖畔涉碳企业"),
        4: page.locator(".shahu-kpi").filter(has_text="签约“双碳”产业项目"),
        5: page.get_by_role("heading", name="碳实业", exact=True),
        6: page.locator(".shahu-kpi").filter(has_text="已有碳金融创新规模"),
        7: page.locator(".st-key-finance_calculator"),
        8: page.locator(".st-key-finance_institutions_cards2"),
    }[n]


def test_a_clicker_alone_walks_the_tour_and_esc_leaves(stage_url, stage):
    page = stage
    page.goto(f"{stage_url}/?present=1")
    at_step(page, 1)
    assert "/map?" in page.url  # the tour starts on the map, not the overview
    b.wait_for_map(page)
    expect(page.locator("#shahu-keys-hint")).to_contain_text("Esc")  # the first time only
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.locator(".st-key-basemap")).to_be_hidden()  # not needed on stage

    forward = ["ArrowRight", "PageDown", " "]
    for n in range(1, len(tour.STEPS) + 1):
        if tour.STEPS[n - 1].page == "map":
            b.wait_for_map(page)
        key = subject(page, n).first
        key.wait_for()
        assert on_screen(key.bounding_box()), f"step {n}: its subject is off screen"
        if n == 2:  # a click into the map gives its frame the focus: keys still work
            b.map_frame(page).locator(".leaflet-container").focus()
        if n < len(tour.STEPS):
            page.keyboard.press(forward[n % 3])
            at_step(page, n + 1)
        page.locator("#shahu-keys-hint").wait_for(state="detached")

    qr = page.locator(".st-key-tour_bar .shahu-qr img")
    assert on_screen(qr.bounding_box())
    assert decoded(qr) == f"{PUBLIC}/finance?lang=zh&section=institutions"
    # scanned from the back of the room: a third of the screen's height (the sidebar's is 240 px)
    assert qr.bounding_box()["width"] >= 0.3 * H

    page.keyboard.press("b")  # a black screen, and back, without losing the step
    expect(page.locator("#shahu-black")).to_be_visible()
    page.keyboard.press("b")
    expect(page.locator("#shahu-black")).to_have_count(0)

    for n in range(len(tour.STEPS) - 1, 0, -1):
        page.keyboard.press("ArrowLeft" if n % 2 else "PageUp")
        at_step(page, n)
    page.keyboard.press("ArrowRight")
    at_step(page, 2)
    page.keyboard.press("ArrowRight")
    at_step(page, 3)
    page.keyboard.press("Home")
    at_step(page, 1)
    b.wait_for_map(page).locator(".leaflet-container").focus()
    page.keyboard.press("Escape")  # from inside the map's frame
    expect(page.locator(".st-key-tour_bar")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    page.wait_for_url(lambda url: "present=" not in url)
    assert page.offsite == []


def test_the_share_panel_qr_opens_this_view_on_a_phone(stage_url, stage):
    page = stage
    page.goto(f"{stage_url}/signings?lang=en&sector=carbon_tech")
    b.wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_text(t("sidebar.more", "en")).click()
    qr = page.get_by_test_id("stSidebar").locator(".shahu-qr img")
    qr.wait_for()
    view = f"{PUBLIC}/signings?lang=en&sector=carbon_tech&section=table"  # the table it opened
    assert decoded(qr) == view
    link = page.get_by_test_id("stSidebar").get_by_role("textbox").last
    expect(link).to_have_value(view)


def pdf_text(page) -> list[str]:
    """Each printed page's text, spaces collapsed (English: CJK glyphs extract as radicals)."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


@pytest.mark.parametrize(
    ("path", "figures"),
    [
        ("/?lang=en", ("23", "over CNY 6.7 bn", "over 460", "94", "11.11 km²", "3,768", "86")),
        # the product catalogue runs over pages; with sample rows on, the print says so
        (
            "/finance?lang=en&samples=1",
            ("CNY 8 bn", "CNY 100 bn scale", "Carbon repo", "Sample rows"),
        ),
    ],
)
def test_printing_gives_whole_pages_with_figures_and_source(stage_url, stage, path, figures):
    page = stage
    page.goto(f"{stage_url}{path}")
    b.wait_for_app(page)
    if path.startswith("/?"):
        b.wait_for_map(page)
    else:
        page.locator(".shahu-kpi-value").first.wait_for()
        page.locator(".shahu-samples").wait_for()  # the sample banner, drawn before the page
    pages = pdf_text(page)
    text = "\n".join(pages)
    for figure in figures:
        assert figure in text, f"{figure} missing from the printed {path}"
    assert "Presenter mode" not in text and "Share this view" not in text  # no sidebar
    for n, one in enumerate(pages, 1):
        assert "2025-09; figures as of 23 Sep 2025" in one, f"printed page {n} has no footer"
    if path.startswith("/finance"):
        assert len(pages) > 1  # the page runs on, not cut at the window's height
