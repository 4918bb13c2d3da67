"""The page's style for screen and print: app.css, and the printed page's footer line (the source
and the date the figures are as of), in one style-only element."""

from __future__ import annotations

import functools

import streamlit as st

from shahu.content import markup
from shahu.content.print_footer import footer_text
from shahu.core.paths import STATIC_DIR
from shahu.data.dataset import Dataset


def page_style(ds: Dataset, lang: str) -> None:
    """app.css, and the footer's text as a CSS string that app.css prints at the foot of every
    page (`@media print`). One `st.html` of style tags only: Streamlit puts it in no container,
    and a first visit pays for one element, not a stylesheet and a hidden footer."""
    sheet = markup.stylesheet(STATIC_DIR / "app.css")
    st.html(_with_footer(sheet, ds.derived(footer_text, lang)))


@functools.lru_cache(maxsize=16)
def _with_footer(sheet: markup.Markup, footer: str) -> markup.Markup:
    """The style element's HTML, made once per stylesheet and footer (every run asks)."""
    return markup.html(
        "{sheet}<style>:root {{ --shahu-print-footer: {footer}; }}</style>",
        sheet=sheet,
        footer=markup.css_string(footer),
    )
