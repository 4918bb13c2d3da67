"""Screenshots of every page, zh and en, desktop and phone, offline: `python -m harness.shots [OUT]`.

For looking at what we build (and comparing before/after a change): PNGs named
`<page>[-<tab>]-<lang>-<width>.png`, every tab of every page, full page, after the map (if any)
is drawn.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness import browser as b
from shahu.core import sitemap
from shahu.core.paths import DEFAULT_DATA_DIR, ROOT

WIDTHS = {1440: 900, 390: 844}


def main(out: Path, extra: str = "") -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp()) / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data)}) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(b.CHROMIUM), args=b.CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            phone = width < 600
            context = browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                is_mobile=phone,
                has_touch=phone,
            )
            b.block_offsite(context)
            page = context.new_page()
            for entry, part in sitemap.tabs():  # every tab of every page
                tab = f"&section={part}" if part else ""
                for lang in ("zh", "en"):
                    page.goto(f"{url}{entry.url}?lang={lang}{tab}{extra}")
                    b.wait_for_app(page)
                    page.locator("[data-testid=stSkeleton]").first.wait_for(state="detached")
                    page.wait_for_load_state("networkidle")  # lazy elements, the map's iframe
                    if page.locator(b.MAP_FRAME).count():
                        b.wait_for_map(page)
                    name = "-".join(filter(None, (entry.key or "overview", part, lang, str(width))))
                    name += ".png"
                    page.screenshot(path=str(out / name), full_page=True)
                    print(out / name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-output" / "shots",
        sys.argv[2] if len(sys.argv) > 2 else "",
    )
