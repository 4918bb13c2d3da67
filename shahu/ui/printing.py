"""The printed page's footer: the source line and the date the figures are as of (app.css prints it)."""

from __future__ import annotations

import html

import streamlit as st

from shahu.assets import Markup
from shahu.colophon import footer_text
from shahu.data import Dataset


def footer(ds: Dataset, lang: str) -> None:
    """Hidden on screen; at the foot of every printed page (`@media print` in app.css)."""
    text = html.escape(ds.derived(footer_text, lang))
    st.html(Markup(f'<footer class="shahu-print-footer">{text}</footer>'))
