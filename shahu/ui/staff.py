"""Staff sign-in (per-person accounts, see `shahu.data.auth`) and the staff's writes: who may write,
the write callback, its flash message."""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from shahu.content import markup
from shahu.content.markup import md
from shahu.core.i18n import t
from shahu.core.paths import data_dir
from shahu.data import auth, sign_in_limits
from shahu.data.store import Outcome

SESSION_KEY, NOTICE_KEY = "staff_session", "staff_notice"
FLASH_KEY, ROUND_KEY = "staff_flash", "staff_round"
log = logging.getLogger("shahu.staff")


def accounts() -> dict[str, str]:
    """The staff accounts in `st.secrets` (`[staff.accounts]`); empty when none are set up."""
    try:
        section = st.secrets.get(auth.SECRETS_SECTION)
    except Exception:  # no secrets file (or an unreadable one) just means "not set up"
        return {}
    return auth.accounts({auth.SECRETS_SECTION: section}) if section else {}


@functools.cache
def _throttle(folder: Path) -> sign_in_limits.Throttle:
    return sign_in_limits.Throttle(folder=folder / sign_in_limits.STORE_DIR)


def throttle() -> sign_in_limits.Throttle:
    """The failed sign-ins of the data folder in use, shared by every replica that serves it."""
    return _throttle(data_dir())


def _client() -> str:
    """The visitor's address: from `X-Forwarded-For` only when the peer is a trusted proxy."""
    try:
        peer = st.context.ip_address  # every X-Forwarded-For line: a visitor may send one too
        forwarded = ",".join(st.context.headers.get_all("X-Forwarded-For"))
    except Exception:  # AppTest and bare runs have no client
        peer, forwarded = None, None
    return sign_in_limits.client_address(peer, forwarded, _trusted())


@functools.cache
def _trusted() -> tuple:
    return sign_in_limits.trusted_proxies()


def _sign_in() -> None:
    ss = st.session_state
    name, given = str(ss.get("staff_name", "")).strip(), ss.get("staff_pw", "")
    ss["staff_pw"] = ""
    now, client = time.time(), _client()
    keys, limits = sign_in_limits.keys(name, client), throttle()
    if wait := limits.wait(keys, now):
        log.warning("staff sign-in refused (back-off %.0f s): %r from %s", wait, name, client)
        ss[NOTICE_KEY] = ("staff.wait", math.ceil(wait))
        return
    known = accounts()
    if auth.verify(known, name, given):
        limits.succeeded(keys)
        ss[SESSION_KEY] = auth.start(known, name, now)
        log.info("staff sign-in: %r from %s", name, client)
    else:
        limits.failed(keys, now)
        log.warning("staff sign-in failed: %r from %s", name, client)
        ss[NOTICE_KEY] = ("staff.wrong_password", 0)


def _sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def who() -> str | None:
    """The verified account name of this session's staff member, or None.

    Checked on every run: a session lapses after `auth.IDLE_LIMIT` without a run or
    `auth.SESSION_LIMIT` overall, and when its account's hash changed or was removed.
    """
    ss = st.session_state
    session = ss.get(SESSION_KEY)
    if session is None:
        return None
    now = time.time()
    if not auth.still_valid(session, accounts(), now):
        ss.pop(SESSION_KEY, None)
        ss[NOTICE_KEY] = ("staff.signed_out", 0)
        log.info("staff session of %r ended (time-out or changed credentials)", session.name)
        return None
    ss[SESSION_KEY] = dataclasses.replace(session, seen=now)
    return session.name


def _notice(lang: str) -> None:
    if notice := st.session_state.pop(NOTICE_KEY, None):
        key, seconds = notice
        (st.warning if key == "staff.signed_out" else st.error)(t(key, lang, seconds=seconds))


def panel(lang: str) -> str | None:
    """The sign-in form, or who is signed in; returns the verified account name, else None."""
    if name := who():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success(t("staff.signed_in", lang, who=md(name)), icon=":material/verified_user:")
        right.button(t("staff.sign_out", lang), on_click=_sign_out, width="stretch")
        return name
    _notice(lang)
    if not accounts():
        st.info(t("staff.not_set_up", lang), icon=":material/lock:")
        return None
    with st.form("staff_sign_in"):
        st.markdown(f"**{t('staff.sign_in', lang)}**")
        st.text_input(t("staff.name", lang), key="staff_name", max_chars=40)
        st.text_input(t("staff.password", lang), key="staff_pw", type="password")
        st.form_submit_button(t("staff.sign_in_button", lang), on_click=_sign_in, type="primary")
    return None


def write(action: Callable[..., Outcome], lang: str, *args, **kwargs) -> None:
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
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {label}; font-size: 14px; }}
</style>"""


def file_uploader(label: str, lang: str, **kwargs):
    """`st.file_uploader` in the visitor's language.

    Streamlit's own button text ("Upload") and size note ("5MB per file • CSV, XLSX") are English
    only: the button is relabelled from the catalogue and the note, which our label already
    states, is hidden.
    """
    label_css = markup.css_string(t("staff.upload_button", lang))
    st.html(markup.html(_UPLOADER_STYLE, label=label_css))
    return st.file_uploader(label, **kwargs)
