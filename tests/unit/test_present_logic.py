"""Presenter mode's logic: the tour's steps and links, the clicker's key map, the public address
behind QR codes, and the printed footer's date, derived from the data."""

from __future__ import annotations

import pandas as pd
import pytest

from shahu.content import print_footer, share, tour
from shahu.core import sitemap
from shahu.data.schemas import Metric


def test_the_tour_starts_on_the_map_and_every_named_section_exists():
    assert tour.STEPS[0].page == "map"
    for step in tour.STEPS:
        if "section" in step.params:
            assert step.params["section"] in sitemap.page(step.page).sections


def test_clicker_keys_are_the_ones_remotes_send_and_never_overlap():
    keys = [key for action in tour.KEYS.values() for key in action]
    assert len(keys) == len(set(keys))
    assert {"ArrowRight", "PageDown", " "} == set(tour.KEYS["next"])
    assert {"ArrowLeft", "PageUp"} == set(tour.KEYS["back"])
    assert tour.KEYS["exit"] == ("Escape",) and tour.KEYS["first"] == ("Home",)


def test_a_phone_gets_the_view_not_presenter_mode():
    _, params = tour.step_target(7, "zh")
    assert tour.audience_params(params) == {"lang": "zh", "section": "institutions"}


@pytest.mark.parametrize(
    ("value", "base"),
    [
        ("https://shahu.example.cn/", "https://shahu.example.cn"),
        (" http://10.0.0.5:8501/belt/ ", "http://10.0.0.5:8501/belt"),
        ("https://x.cn/a?b=1#c", "https://x.cn/a"),
        ("shahu.example.cn", None),  # no scheme: a phone could not open it
        ("ftp://x.cn", None),
        ("", None),
        (None, None),
    ],
)
def test_public_address_is_checked(value, base):
    assert share.public_base(value) == base


def test_view_links_carry_path_and_query():
    assert share.view_link("https://x.cn", "/", {"lang": "en"}) == "https://x.cn/?lang=en"
    assert share.view_link("https://x.cn", "/map", {}) == "https://x.cn/map"
    link = share.view_link("https://x.cn", "/finance", {"section": "calculator", "q": "碳 A&B"})
    assert link == "https://x.cn/finance?section=calculator&q=%E7%A2%B3+A%26B"
    assert share.qr_svg_uri(link).startswith("data:image/svg+xml")


def metrics(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[Metric.as_of, Metric.provenance, Metric.source])


def test_footer_date_is_the_newest_reported_figure():
    frame = metrics(
        [
            ("2025-09", "reported", "长江日报 2025-09"),
            ("2025-09-23", "reported", "长江日报 2025-09"),
            ("2026-01", "illustrative", "示例"),  # a sample row never dates the figures
            ("2023-09", "reported", "另一来源"),
        ]
    )
    assert print_footer.figures_as_of(frame) == "2025-09-23"
    assert print_footer.main_source(frame) == "长江日报 2025-09"
    assert print_footer.figures_as_of(metrics([])) is None


def test_footer_of_the_shipped_data(shipped):
    assert print_footer.footer_text(shipped, "en").startswith(
        "Source: 长江日报 2025-09; figures as of 23 Sep 2025"
    )


def test_step_urls_are_deep_links():
    assert tour.step_url(1, "en") == "/map?lang=en&present=1&step=2&building=tanhui"
    assert tour.clamp("99") == len(tour.STEPS) - 1 and tour.clamp("x") == 0


def test_a_link_too_long_for_a_qr_code_says_so():
    long = share.view_link("https://shahu.example.cn", "/map", {"q": "A" * 3000})
    assert share.qr_svg_uri(long) is None
    assert share.qr_svg_uri(long[:200]).startswith("data:image/svg+xml")
