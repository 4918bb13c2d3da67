"""Running the real app in-process with Streamlit's AppTest, on any page and language."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from shahu.i18n import CATALOGUE
from shahu.paths import ROOT

RAW_KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")


def run_page(page: str | None = None, lang: str = "zh", timeout: float = 60) -> AppTest:
    """app.py with `page` (e.g. "pages/map.py") selected and the language set as by `?lang=`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def visible_texts(at: AppTest) -> list[str]:
    """Every text a visitor reads: headings, markdown, captions, labels, metric values, alerts."""
    texts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in (
        "selectbox",
        "multiselect",
        "radio",
        "text_input",
        "slider",
        "number_input",
        "toggle",
        "checkbox",
        "button",
    ):
        texts += [str(e.label) for e in getattr(at, kind)]
    texts += [str(m.label) for m in at.metric] + [str(m.value) for m in at.metric]
    return texts


def raw_keys(at: AppTest) -> list[str]:
    """Texts that are catalogue keys shown verbatim (a missing translation)."""
    return [
        text
        for text in visible_texts(at)
        if RAW_KEY.match(text.strip()) or text.strip() in CATALOGUE
    ]


def folium_args(at: AppTest) -> list[dict]:
    """The st_folium component arguments (script, js_links, css_links …) of every map on the page."""
    out = []
    for el in at.get("component_instance"):
        args = getattr(el.proto, "json_args", "")
        if args and "js_links" in args:
            out.append(json.loads(args))
    return out
