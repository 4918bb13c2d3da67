"""Staff sign-in and the staff's writes: who may write, the write callback, its flash message."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import streamlit as st

from shahu import auth, importer
from shahu.formatting import md
from shahu.i18n import t

WHO_KEY = "staff_who"
FLASH_KEY, ROUND_KEY = "staff_flash", "staff_round"


def password() -> str | None:
    """The staff password from SHAHU_ADMIN_PASSWORD or st.secrets; None when neither is set."""
    try:
        secret = st.secrets.get(auth.SECRET_NAME)
    except Exception:  # no secrets file (or an unreadable one) just means "not configured"
        secret = None
    return auth.configured_password(os.environ, secret)


def _sign_in() -> None:
    ss = st.session_state
    given, ss["staff_pw"] = ss.get("staff_pw", ""), ""
    if auth.password_ok(given, password()):
        ss[WHO_KEY] = importer.clean_who(ss.get("staff_name"))
    else:
        ss["staff_denied"] = True


def _sign_out() -> None:
    st.session_state.pop(WHO_KEY, None)


def who() -> str | None:
    """The signed-in staff member allowed to write, or None (always None with no password set)."""
    return st.session_state.get(WHO_KEY) if password() else None


def panel(lang: str) -> str | None:
    """The sign-in form, or who is signed in; returns the name allowed to write, else None."""
    if password() is None:
        st.info(t("staff.read_only", lang), icon=":material/lock:")
        return None
    if name := who():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success(t("staff.signed_in", lang, who=md(name)), icon=":material/verified_user:")
        right.button(t("staff.sign_out", lang), on_click=_sign_out, width="stretch")
        return name
    with st.form("staff_sign_in"):
        st.markdown(f"**{t('staff.sign_in', lang)}**")
        st.text_input(t("staff.name", lang), key="staff_name", max_chars=40)
        st.text_input(t("staff.password", lang), key="staff_pw", type="password")
        st.form_submit_button(t("staff.sign_in_button", lang), on_click=_sign_in, type="primary")
    if st.session_state.pop("staff_denied", False):
        st.error(t("staff.wrong_password", lang))
    st.caption(t("staff.preview_only", lang))
    return None


def write(action: Callable[..., importer.Outcome], lang: str, *args, **kwargs) -> None:
    """Button callback: check the sign-in again, import or restore, keep the outcome to show.

    A successful write starts a new round, which gives the page's upload field a new key (empty).
    """
    if (name := who()) is not None:
        outcome = action(*args, name, **kwargs)
        problems = outcome.plan.problems if outcome.plan else []
        st.session_state[FLASH_KEY] = (outcome.ok, outcome.message(lang), problems)
        st.session_state[ROUND_KEY] = round_() + outcome.ok


def round_() -> int:
    """How many writes succeeded in this session: part of the upload field's key."""
    return st.session_state.get(ROUND_KEY, 0)


def flash() -> tuple[bool, str, list] | None:
    """The last write's (ok, message, problems), once."""
    return st.session_state.pop(FLASH_KEY, None)


_UPLOADER_STYLE = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: %s; font-size: 14px; }
</style>"""


def file_uploader(label: str, lang: str, **kwargs):
    """`st.file_uploader` in the visitor's language.

    Streamlit's own button text ("Upload") and size note ("5MB per file • CSV, XLSX") are English
    only: the button is relabelled from the catalogue and the note, which our label already
    states, is hidden.
    """
    st.html(_UPLOADER_STYLE % json.dumps(t("staff.upload_button", lang), ensure_ascii=False))
    return st.file_uploader(label, **kwargs)
