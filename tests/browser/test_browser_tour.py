"""Presenter mode offline: the tour walks all eight steps with Next, and back again."""

from __future__ import annotations

from playwright.sync_api import expect

from harness import browser as b
from shahu.content import tour


def step_shown(page, n: int, lang: str) -> None:
    text = f"第 {n} / {len(tour.STEPS)} 步" if lang == "zh" else f"Step {n} of {len(tour.STEPS)}"
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text)
    b.wait_for_app(page)


def test_tour_walks_every_step_offline(app_url, offline_page):
    page = offline_page
    page.goto(f"{app_url}{tour.step_url(0, 'zh')}")
    b.wait_for_app(page)
    step_shown(page, 1, "zh")
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()  # no chrome on the projector
    for n in range(2, len(tour.STEPS) + 1):
        page.get_by_role("button", name="下一步").click()
        step_shown(page, n, "zh")
        assert page.locator("[data-testid=stException]").count() == 0
        if n == 2:
            page.wait_for_url("**building=tanhui**")
            b.wait_for_map(page)
            b.screenshot(page, "tour-step2-zh-1440")
    expect(page.get_by_role("button", name="下一步")).to_be_disabled()
    page.get_by_role("button", name="上一步").click()
    step_shown(page, len(tour.STEPS) - 1, "zh")
    assert page.offsite == []


def test_presenter_link_in_english_on_a_phone(app_url, phone_page):
    page = phone_page
    page.goto(f"{app_url}{tour.step_url(3, 'en')}")
    b.wait_for_app(page)
    step_shown(page, 4, "en")
    expect(page.locator(".shahu-kpi-value").first).to_have_text("23")  # the glance
    b.screenshot(page, "tour-step4-en-390")
    assert page.offsite == []
