"""“Share this view”: the link to copy and a QR code that opens the same view on a phone."""

from __future__ import annotations

import os

import streamlit as st

from shahu.content import markup, share
from shahu.core.i18n import t
from shahu.ui import state

LINK_KEY = "share_link"
PANEL_KEY = "share_open"  # the sidebar panel's open state (True opens it, e.g. in a test)


def public_base() -> str | None:
    """The organiser's public address: `SHAHU_PUBLIC_URL`, else `public_url` in st.secrets."""
    value = os.environ.get(share.PUBLIC_URL_ENV)
    if not value:
        try:
            value = st.secrets.get(share.PUBLIC_URL_SECRET)
        except Exception:  # no secrets file at all: Streamlit raises rather than returning None
            value = None
    return share.public_base(value)


def _link(path: str, params: dict[str, str]) -> str:
    """This view's absolute link: under the public address if set, else as this browser sees it."""
    base = public_base() or (st.context.url or "").split("?")[0].rstrip("/")
    return share.view_link(base, path, params)


def qr_panel(path: str, params: dict[str, str], lang: str, stage: bool = False) -> None:
    """The QR code for the view at `path` with `params`, or how to get one when no address is set."""
    base = public_base()
    if base is None:
        st.caption(":material/qr_code_2: " + t("share.qr_unset", lang))
        return
    link = share.view_link(base, path, params)
    uri = share.qr_svg_uri(link, scale=8 if stage else 5)
    if uri is None:
        st.caption(":material/qr_code_2: " + t("share.qr_too_long", lang))
        return
    st.html(
        markup.html(
            '<figure class="shahu-qr" data-link="{link}"><img src="{uri}" alt="{link}">'
            "<figcaption>{caption}</figcaption></figure>",
            link=link,
            uri=uri,
            caption=t("share.qr_caption", lang),
        )
    )


def link_and_qr(path: str, lang: str) -> None:
    """“Share this view”: the link field and the QR code for the view now in the URL (drawn in
    the sidebar's panel once it is opened, `ui.sidebar`)."""
    params = state.view_params()
    st.caption(f"**{t('share.title', lang)}** · {t('share.help', lang)}")
    # A text field, not `st.code`: the code block's highlighter is a 1.5 MB script that every
    # first visit would have to load before the map (about 250 ms on our 2-core machine).
    st.session_state[LINK_KEY] = _link(path, params)
    st.text_input(t("share.title", lang), key=LINK_KEY, label_visibility="collapsed")
    qr_panel(path, params, lang)
