"""A staff member signs in, is refused a bad file, confirms a good one, and the map shows it."""

from __future__ import annotations

import pytest

from harness import browser as b
from harness.a11y import axe_violations
from shahu.core.i18n import t
from tests.accounts import OTHER_PASSWORD, secrets_toml
from tests.helpers import copy_data, edited, restore_data

NEW_NAME = "天风大厦·新楼"
NAV_LINKS = "[data-testid=stSidebarNav] a"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, chromium):
    """One app with staff accounts for the module, on its own copy of the data."""
    data = copy_data(tmp_path_factory.mktemp("staff"))
    secrets = data.parent / "secrets.toml"
    secrets.write_text(secrets_toml(), encoding="utf-8")
    env = {"SHAHU_DATA_DIR": str(data)}
    with b.streamlit_server(env, args=("--secrets.files", str(secrets))) as url:
        yield url, data


@pytest.fixture
def staff_app(staff_server):
    """The staff app with its data as shipped (each test's browser session is its own)."""
    url, data = staff_server
    restore_data(data)
    return url, data


def nav_targets(page) -> list[str]:
    return [
        h.split("?")[0].rsplit("/", 1)[-1]
        for h in page.locator(NAV_LINKS).evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]


def choose_file(page, name: str, raw: bytes) -> None:
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": raw}]
    )


def test_staff_refresh_from_sign_in_to_map(staff_app, offline_page):
    url, data = staff_app
    page = offline_page
    page.goto(f"{url}/?lang=zh")
    b.wait_for_app(page)
    assert "data" not in nav_targets(page)  # not part of the show
    page.goto(f"{url}/data?lang=zh")
    b.wait_for_app(page)
    assert page.locator("[data-testid=stFileUploader]").count() == 0
    assert "data" not in nav_targets(page)
    page.get_by_label(t("staff.name", "zh")).fill("王工")
    page.get_by_label(t("staff.password", "zh"), exact=True).fill(OTHER_PASSWORD)
    page.get_by_role("button", name=t("staff.sign_in_button", "zh")).click()
    page.get_by_text(t("staff.signed_in", "zh", who="王工")).wait_for()
    b.wait_for_app(page)
    assert "data" in nav_targets(page)  # listed once signed in

    bad = edited(data, "buildings", "tianfeng", "lat", "31.9").replace(",estimated,", ",guess,", 1)
    original = (data / "buildings.csv").read_bytes()
    choose_file(page, "楼宇.csv", bad.encode("gbk"))
    page.get_by_text(t("staff.problems", "zh", n=2)).wait_for()
    assert page.get_by_role("button", name=t("staff.confirm", "zh")).count() == 0
    assert (data / "buildings.csv").read_bytes() == original
    b.screenshot(page, "data-zh-1440-problems")

    good = edited(data, "buildings", "tianfeng", "name_zh", NEW_NAME)
    choose_file(page, "楼宇.csv", good.encode("gbk"))
    page.get_by_text(t("staff.preview", "zh")).wait_for()
    page.get_by_text("修改 1 行").wait_for()
    b.screenshot(page, "data-zh-1440-preview")
    page.get_by_role("button", name=t("staff.confirm", "zh")).click()
    page.get_by_text("已替换 buildings.csv").wait_for()
    b.wait_for_app(page)
    assert NEW_NAME in (data / "buildings.csv").read_text(encoding="utf-8")
    assert len(list((data / ".backups" / "buildings").glob("*__王工.csv"))) == 1
    assert page.locator("[data-testid=stException]").count() == 0

    page.goto(f"{url}/map?lang=zh")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    frame.locator(".leaflet-tooltip.shahu-label", has_text=NEW_NAME).wait_for()
    assert page.offsite == []


UPLOADER_TEXT = """() => {
  const zone = document.querySelector('[data-testid=stFileUploaderDropzone]');
  const label = zone.querySelector('button [data-testid=stMarkdownContainer] p');
  const note = zone.querySelector('[data-testid=stFileUploaderDropzoneInstructions]');
  return {button: getComputedStyle(label, '::after').content, noteShown: note.offsetParent !== null};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_upload_field_speaks_the_page_language(staff_app, offline_page, lang):
    """Streamlit's own uploader text is English only; ours comes from the catalogue."""
    url, _ = staff_app
    page = offline_page
    page.goto(f"{url}/data?lang={lang}")
    b.wait_for_app(page)
    page.get_by_label(t("staff.name", lang)).fill("王工")
    page.get_by_label(t("staff.password", lang), exact=True).fill(OTHER_PASSWORD)
    page.get_by_role("button", name=t("staff.sign_in_button", lang)).click()
    page.get_by_text(t("staff.signed_in", lang, who="王工")).wait_for()
    b.wait_for_app(page)
    page.get_by_text(t("staff.history", lang)).click()  # the history open, too
    b.wait_for_app(page)
    found = axe_violations(page)  # the signed-in page passes WCAG 2.2 AA as well
    assert not found, "\n".join(found)
    page.locator("[data-testid=stFileUploaderDropzone] button").wait_for()
    shown = page.evaluate(UPLOADER_TEXT)
    assert shown == {"button": f'"{t("staff.upload_button", lang)}"', "noteShown": False}
