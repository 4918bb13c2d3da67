"""The page's style for screen and print: app.css, and the printed page's footer line (the source
and the date the figures are as of), in one style-only element."""

from __future__ import annotations

import functools

import streamlit as st

from shahu.content.print_footer import footer_text
from shahu.core.paths import STATIC_DIR
from shahu.data.dataset import Dataset
from shahu.map.assets import Markup, Stylesheet, css_string


def page_style(ds: Dataset, lang: str) -> None:
    """app.css, and the footer's text as a CSS string that app.css prints at the foot of every
    page (`@media print`). One `st.html` of style tags only: Streamlit puts it in no container,
    and a first visit pays for one element, not a stylesheet and a hidden footer."""
    sheet = Stylesheet(STATIC_DIR / "app.css")._repr_html_()
    st.html(Markup(_with_footer(sheet, ds.derived(footer_text, lang))))


@functools.lru_cache(maxsize=16)
def _with_footer(sheet: str, footer: str) -> str:
    """The style element's HTML, made once per stylesheet and footer (every run asks)."""
    return sheet + f"<style>:root {{ --shahu-print-footer: {css_string(footer)}; }}</style>"
