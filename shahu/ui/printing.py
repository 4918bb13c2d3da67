"""The page's style for screen and print: app.css, and the printed page's footer line (the source
and the date the figures are as of), in one style-only element."""

from __future__ import annotations

import streamlit as st

from shahu.assets import Markup, Stylesheet, css_string
from shahu.colophon import footer_text
from shahu.data import Dataset
from shahu.paths import STATIC_DIR


def page_style(ds: Dataset, lang: str) -> None:
    """app.css, and the footer's text as a CSS string that app.css prints at the foot of every
    page (`@media print`). One `st.html` of style tags only: Streamlit puts it in no container,
    and a first visit pays for one element, not a stylesheet and a hidden footer."""
    footer = css_string(ds.derived(footer_text, lang))
    st.html(
        Markup(
            Stylesheet(STATIC_DIR / "app.css")._repr_html_()
            + f"<style>:root {{ --shahu-print-footer: {footer}; }}</style>"
        )
    )
