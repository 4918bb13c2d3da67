"""A staff member signs in, is refused a bad file, confirms a good one, and the map shows it."""

from __future__ import annotations

import shutil

import pytest

from harness import browser as b
from shahu.i18n import t
from shahu.paths import DEFAULT_DATA_DIR
from tests.helpers import edited

pytestmark = pytest.mark.browser
PASSWORD = "s3cret-沙湖"
NEW_NAME = "天风大厦·新楼"


@pytest.fixture
def staff_app(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data), "SHAHU_ADMIN_PASSWORD": PASSWORD}) as url:
        yield url, data


def choose_file(page, name: str, raw: bytes) -> None:
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": raw}]
    )


def test_staff_refresh_from_sign_in_to_map(staff_app, offline_page):
    url, data = staff_app
    page = offline_page
    page.goto(f"{url}/data?lang=zh")
    b.wait_for_app(page)
    page.get_by_label(t("staff.name", "zh")).fill("王工")
    page.get_by_label(t("staff.password", "zh"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("staff.sign_in_button", "zh")).click()
    page.get_by_text(t("staff.signed_in", "zh", who="王工")).wait_for()

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
def test_the_upload_field_speaks_the_page_language(app_url, offline_page, lang):
    """Streamlit's own uploader text is English only; ours comes from the catalogue."""
    page = offline_page
    page.goto(f"{app_url}/data?lang={lang}")
    b.wait_for_app(page)
    page.locator("[data-testid=stFileUploaderDropzone] button").wait_for()
    shown = page.evaluate(UPLOADER_TEXT)
    assert shown == {"button": f'"{t("staff.upload_button", lang)}"', "noteShown": False}
