"""Presenter mode and its guided tour bar: step n of 8, the script line, Back / Next / Exit."""

from __future__ import annotations

import streamlit as st

from shahu import tour
from shahu.i18n import t
from shahu.ui.state import forget_url_seed

PRESENT_KEY = "present"
STEP_KEY = "tour_step"


def presenting() -> bool:
    """Presenter mode: switched on by `?present=1` or the sidebar button, kept for the session."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = st.query_params.get("present") == "1"
        st.session_state[STEP_KEY] = tour.clamp(st.query_params.get("step"))
    return bool(st.session_state[PRESENT_KEY])


def index() -> int | None:
    """The current step, 0-based; None outside presenter mode."""
    return int(st.session_state.get(STEP_KEY, 0)) if presenting() else None


def go(step: int, lang: str) -> None:
    """Open tour step `step` (0-based) on its page, with its view parameters."""
    page, params = tour.step_target(step, lang)
    st.session_state[STEP_KEY] = tour.clamp(params["step"])
    forget_url_seed("building")  # the step's building selects it again
    st.switch_page(page.file, query_params=params)


def start(lang: str) -> None:
    st.session_state[PRESENT_KEY] = True
    go(0, lang)


def bar(lang: str) -> None:
    """The presenter's bar above the page."""
    current = index() or 0
    step = tour.STEPS[current]
    last = len(tour.STEPS) - 1
    with st.container(border=True):
        text, back, forward, leave = st.columns([7, 1, 1, 1], vertical_alignment="center")
        text.markdown(
            f"**{t('tour.step_of', lang, n=current + 1, total=len(tour.STEPS))} · "
            f"{t(f'tour.{step.key}.title', lang)}**  \n{t(f'tour.{step.key}.script', lang)}"
        )
        if back.button(t("tour.back", lang), disabled=current == 0, width="stretch"):
            go(current - 1, lang)
        if forward.button(
            t("tour.next", lang), disabled=current == last, type="primary", width="stretch"
        ):
            go(current + 1, lang)
        if leave.button(t("tour.exit", lang), width="stretch"):
            st.session_state[PRESENT_KEY] = False
            st.rerun()
